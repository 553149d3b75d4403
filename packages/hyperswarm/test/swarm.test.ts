// The swarm's behaviour on loopback with an in-memory DHT (the real DHT runs in swarm-dht.test.ts).
import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { InvalidJoinOptionsError, InvalidTopicError, SwarmDestroyedError } from '../src/errors.js'
import type { PeerInfo } from '../src/peer-info.js'
import type { SwarmPeer, SwarmSocket } from '../src/peer.js'
import { Hyperswarm, type HyperswarmOptions } from '../src/swarm.js'
import { FakeNetwork } from './fake-dht.js'
import { closedPort, until, waitFor } from './helpers.js'
import { dedupOnConnect } from './swarm-helpers.js'

const swarms: Hyperswarm[] = []
afterEach(async () => {
  await Promise.all(swarms.splice(0).map((s) => s.destroy()))
})

function swarm(net: FakeNetwork, opts: HyperswarmOptions = {}): Hyperswarm {
  const s = new Hyperswarm({
    dht: net.dht(),
    host: '127.0.0.1',
    queue: { requeue: [30, 60, 90], forget: { unresponsive: 100 } },
    ...opts,
  })
  swarms.push(s)
  return s
}

describe('Hyperswarm (in-memory DHT)', () => {
  it('validates join arguments with typed errors', async () => {
    const s = swarm(new FakeNetwork())
    expect(() => s.join(Buffer.alloc(31))).toThrow(InvalidTopicError)
    expect(() => s.join(randomBytes(32), { announce: false, lookup: false })).toThrow(
      InvalidJoinOptionsError,
    )
    await s.destroy()
    expect(() => s.join(randomBytes(32))).toThrow(SwarmDestroyedError)
    await expect(s.flush()).rejects.toBeInstanceOf(SwarmDestroyedError)
  })

  it('two swarms that announce and look up keep exactly one connection; data flows both ways', async () => {
    const net = new FakeNetwork()
    const topic = randomBytes(32)
    const a = swarm(net)
    const b = swarm(net)
    const da = dedupOnConnect(a)
    const db = dedupOnConnect(b)
    await a.join(topic, { announce: true, lookup: true })
    await b.join(topic, { announce: true, lookup: true })
    // A's second round finds B too, so both sides dial: two connections each way.
    await a.leave(topic)
    await a.join(topic, { announce: true, lookup: true })
    await Promise.all([a.flush(), b.flush()])
    await until(() => da.connections === 2 && db.connections === 2, 5000, 'both dials')
    await until(
      () =>
        da.survivors.size === 1 &&
        db.survivors.size === 1 &&
        a.connections.size === 1 &&
        b.connections.size === 1,
      5000,
      'deduplication to settle',
    )
    const [sa] = [...da.survivors]
    const [sb] = [...db.survivors]
    // The survivor is the connection dialled by the smaller id on both sides.
    const aIsSmaller = Buffer.compare(da.id, db.id) < 0
    expect(sa.info.client).toBe(aIsSmaller)
    expect(sb.info.client).toBe(!aIsSmaller)
    const gotAtB = waitFor<[Buffer]>(sb.socket, 'data')
    sb.socket.resume()
    sa.socket.resume()
    sa.socket.write('hello b')
    expect((await gotAtB)[0].toString()).toBe('hello b')
    const gotAtA = waitFor<[Buffer]>(sa.socket, 'data')
    sb.socket.write('hello a')
    expect((await gotAtA)[0].toString()).toBe('hello a')
  })

  it('flush() resolves once the found peers have been dialled', async () => {
    const net = new FakeNetwork()
    const topic = randomBytes(32)
    const a = swarm(net)
    const b = swarm(net)
    const incoming = waitFor<[SwarmSocket, PeerInfo]>(a, 'connection')
    await a.join(topic, { announce: true, lookup: false })
    b.join(topic)
    await b.flush()
    expect(b.connections.size).toBe(1)
    const [, info] = await incoming
    expect(info.client).toBe(false)
    expect(info.peer).toBe(null)
    expect(b.status(topic)).toEqual({ announce: false, lookup: true })
    expect(a.status(topic)).toEqual({ announce: true, lookup: false })
  })

  it('retries a refusing peer with backoff, then gives up on it', async () => {
    const net = new FakeNetwork()
    const topic = randomBytes(32)
    const port = await closedPort()
    net.add(topic, { host: '127.0.0.1', port })
    const s = swarm(net, { queue: { requeue: [30, 60, 90], forget: { unresponsive: Infinity } } })
    const failures: number[] = []
    s.on('connect-failed', (_err, info) => failures.push(info.retries))
    const gaveUp = waitFor<[PeerInfo]>(s, 'peer-unresponsive', 5000)
    s.join(topic)
    const [info] = await gaveUp
    // One first attempt and three retries, with retries counted before each requeue.
    expect(failures).toEqual([0, 1, 2, 3])
    expect(info.peer?.port).toBe(port)
    expect(info.update()).toBe(false)
  })

  it('never dials a banned peer again', async () => {
    const net = new FakeNetwork()
    const topic = randomBytes(32)
    const a = swarm(net)
    const b = swarm(net, { refreshInterval: [20, 30] })
    await a.join(topic, { announce: true, lookup: false })
    let connections = 0
    b.on('connection', (_socket: SwarmSocket, info: PeerInfo) => {
      connections++
      info.ban()
    })
    b.join(topic)
    const lost = waitFor(a, 'disconnection')
    await b.flush()
    await lost
    // Two more lookup rounds find the banned peer again; it is never re-dialled.
    let rounds = 0
    await new Promise<void>((resolve) => {
      b.on('updated', () => {
        if (++rounds === 2) resolve()
      })
    })
    await b.flush()
    expect(connections).toBe(1)
  })

  it('leave() stops new connections for the topic', async () => {
    const net = new FakeNetwork()
    const topic = randomBytes(32)
    const a = swarm(net)
    const b = swarm(net)
    await a.join(topic, { announce: true, lookup: false })
    let dialled = 0
    b.on('connection', () => dialled++)
    b.join(topic)
    await b.flush()
    expect(dialled).toBe(1)
    await b.leave(topic)
    expect(b.status(topic)).toBe(null)
    // Closing the connection would normally re-dial after the backoff; now the peer is skipped.
    const skipped = waitFor<[SwarmPeer]>(b, 'peer-skipped', 3000)
    for (const socket of a.connections) socket.destroy()
    const [peer] = await skipped
    expect(peer.port).toBe(a.address()?.port)
    expect(dialled).toBe(1)

    // And an announcer that left is not found any more.
    await a.leave(topic)
    expect(net.unannounces).toBe(1)
    const c = swarm(net)
    c.join(topic)
    await c.flush()
    expect(c.connections.size).toBe(0)
  })

  it('destroy() closes every socket and the remote sees the disconnection', async () => {
    const net = new FakeNetwork()
    const topic = randomBytes(32)
    const a = swarm(net)
    const b = swarm(net)
    const c = swarm(net)
    await a.join(topic, { announce: true, lookup: false })
    b.join(topic)
    c.join(topic)
    await Promise.all([b.flush(), c.flush()])
    await until(() => a.connections.size === 2, 3000, 'two incoming connections')
    const sockets = [...a.connections]
    const lostB = waitFor(b, 'disconnection')
    const lostC = waitFor(c, 'disconnection')
    await a.destroy()
    expect(a.connections.size).toBe(0)
    expect(sockets.every((s) => s.destroyed)).toBe(true)
    await Promise.all([lostB, lostC])
    expect(a.address()).toBe(null)
    expect(net.unannounces).toBe(1)
  })

  it('stops accepting and dialling at maxPeers', async () => {
    const net = new FakeNetwork()
    const topic = randomBytes(32)
    const a = swarm(net, { maxPeers: 1 })
    const b = swarm(net)
    const c = swarm(net)
    await a.join(topic, { announce: true, lookup: false })
    b.join(topic)
    await b.flush()
    await until(() => a.connections.size === 1, 3000, 'first connection')
    const refused = waitFor(c, 'disconnection')
    c.join(topic)
    await c.flush()
    await refused
    expect(a.connections.size).toBe(1)
  })
})
