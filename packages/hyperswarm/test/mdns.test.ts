// LAN discovery over multicast DNS on the loopback interface (a random port, not 5353).
import { randomBytes, randomInt } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { MdnsDiscovery, type MdnsOptions } from '../src/mdns.js'
import type { SwarmPeer, SwarmSocket } from '../src/peer.js'
import { Hyperswarm } from '../src/swarm.js'
import { FakeNetwork } from './fake-dht.js'
import { waitFor } from './helpers.js'

function loopbackMdns(): MdnsOptions {
  // Bound to the group address and sent through lo with TTL 0: nothing leaves this host.
  return { port: randomInt(20000, 60000), interface: '127.0.0.1', host: '224.0.0.251', ttl: 0 }
}

const cleanups: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn()
})

describe('MdnsDiscovery', () => {
  it('finds an announcer on the LAN and never itself', async () => {
    const opts = loopbackMdns()
    const a = new MdnsDiscovery(opts)
    const b = new MdnsDiscovery(opts)
    cleanups.push(
      () => a.destroy(),
      () => b.destroy(),
    )
    await Promise.all([a.ready(), b.ready()])
    const topic = randomBytes(32)
    const selfFound: SwarmPeer[] = []
    a.on('peer', (p) => selfFound.push(p))
    a.join(topic, { port: 4242, announce: true, lookup: true })
    const found = waitFor<[SwarmPeer]>(b, 'peer')
    b.join(topic, { port: 0, announce: false, lookup: true })
    const [peer] = await found
    expect(peer).toEqual({
      host: '127.0.0.1',
      port: 4242,
      local: true,
      to: null,
      referrer: null,
      topic,
    })
    expect(selfFound).toEqual([])
  })

  it('is off by default in the swarm; when on, two swarms connect with no DHT peers at all', async () => {
    const net = new FakeNetwork()
    const plain = new Hyperswarm({ dht: net.dht(), host: '127.0.0.1' })
    cleanups.push(() => plain.destroy())
    await plain.listen()
    expect((plain as unknown as { mdns: unknown }).mdns).toBe(null)

    const mdns = loopbackMdns()
    // Each swarm has its own empty DHT, so only mDNS can bring them together.
    const a = new Hyperswarm({ dht: new FakeNetwork().dht(), host: '127.0.0.1', mdns })
    const b = new Hyperswarm({ dht: new FakeNetwork().dht(), host: '127.0.0.1', mdns })
    cleanups.push(
      () => a.destroy(),
      () => b.destroy(),
    )
    const topic = randomBytes(32)
    const incoming = waitFor<[SwarmSocket]>(a, 'connection')
    const found = waitFor<[SwarmPeer]>(b, 'peer')
    await a.join(topic, { announce: true, lookup: false })
    await b.join(topic)
    const [peer] = await found
    expect(peer.local).toBe(true)
    expect(peer.port).toBe(a.address()?.port)
    await incoming
    await b.flush()
    expect(b.connections.size).toBe(1)
  })
})
