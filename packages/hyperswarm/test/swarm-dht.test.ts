// Swarms over the real @hyperstack/hyperswarm-dht on 127.0.0.1, with a local bootstrap node.
import { randomBytes } from 'node:crypto'
import dgram from 'node:dgram'
import { once } from 'node:events'
import type { DHT } from '@hyperstack/hyperswarm-dht'
import { describe, expect, it } from 'vitest'
import type { PeerInfo } from '../src/peer-info.js'
import type { SwarmSocket } from '../src/peer.js'
import type { HyperswarmOptions } from '../src/swarm.js'
import { closedPort, until, waitFor } from './helpers.js'
import { loopbackNetwork } from './loopback-network.js'
import { dedupOnConnect } from './swarm-helpers.js'

const net = loopbackNetwork()
const swarm = (opts?: HyperswarmOptions) => net.swarm(opts)

describe('Hyperswarm over @hyperstack/hyperswarm-dht (loopback)', () => {
  it('two swarms join a topic, connect exactly once after dedup, data flows both ways', async () => {
    const topic = randomBytes(32)
    const a = swarm()
    const b = swarm()
    const da = dedupOnConnect(a)
    const db = dedupOnConnect(b)
    await a.join(topic, { announce: true, lookup: true })
    await b.join(topic, { announce: true, lookup: true })
    // b found a during its announce walk; a re-joins to find b as well: both sides dial.
    await a.join(topic, { announce: true, lookup: true })
    await Promise.all([a.flush(), b.flush()])
    await until(() => da.connections === 2 && db.connections === 2, 10_000, 'both dials')
    await until(
      () =>
        da.survivors.size === 1 &&
        db.survivors.size === 1 &&
        a.connections.size === 1 &&
        b.connections.size === 1,
      10_000,
      'deduplication to leave one connection',
    )
    const [sa] = [...da.survivors]
    const [sb] = [...db.survivors]
    const aIsSmaller = Buffer.compare(da.id, db.id) < 0
    expect(sa.info.client).toBe(aIsSmaller)
    expect(sb.info.client).toBe(!aIsSmaller)
    sa.socket.resume()
    sb.socket.resume()
    const atB = waitFor<[Buffer]>(sb.socket, 'data')
    sa.socket.write('from a')
    expect((await atB)[0].toString()).toBe('from a')
    const atA = waitFor<[Buffer]>(sa.socket, 'data')
    sb.socket.write('from b')
    expect((await atA)[0].toString()).toBe('from b')
  })

  it('the announced port is the TCP port and peers carry the DHT node as referrer', async () => {
    const topic = randomBytes(32)
    const a = swarm()
    const b = swarm()
    await a.join(topic, { announce: true, lookup: false })
    const found = waitFor<[{ host: string; port: number; referrer: { port: number } }]>(b, 'peer')
    b.join(topic)
    const [peer] = await found
    expect(peer.host).toBe('127.0.0.1')
    expect(peer.port).toBe(a.address()?.port)
    expect(peer.referrer.port).toBe(net.node.address().port)
    await b.flush()
    expect(b.connections.size).toBe(1)
  })

  it('leave() unannounces: a later lookup finds nobody', async () => {
    const topic = randomBytes(32)
    const a = swarm()
    await a.join(topic, { announce: true, lookup: false })
    await a.leave(topic)
    const b = swarm()
    let peers = 0
    b.on('peer', () => peers++)
    await b.join(topic)
    await b.flush()
    expect(peers).toBe(0)
    expect(b.connections.size).toBe(0)
  })

  it('retries a refusing peer with backoff, then gives up on it', async () => {
    const topic = randomBytes(32)
    // A record for a closed port on 127.0.0.2: not our own IP, so it gets the full retries.
    const port = await closedPort()
    const announcer = net.dht({ host: '127.0.0.2', ephemeral: true })
    await announcer.listen(0, '127.0.0.2')
    await announcer.ready()
    await announcer.announce(topic, { port }).finished()
    const s = swarm({
      holepunch: false,
      queue: { requeue: [30, 60, 90], forget: { unresponsive: Number.POSITIVE_INFINITY } },
    })
    const attempts: number[] = []
    s.on('connect-failed', (err, info) => {
      expect(err.code).toBe('ERR_CONNECT_FAILED')
      attempts.push(info.retries)
    })
    const gaveUp = waitFor<[PeerInfo]>(s, 'peer-unresponsive', 10_000)
    s.join(topic)
    const [info] = await gaveUp
    expect(info.peer?.host).toBe('127.0.0.2')
    expect(info.peer?.port).toBe(port)
    expect(attempts).toEqual([0, 1, 2, 3])
  })

  it('binds TCP and the DHT on one port number, moving both when the UDP port is taken', async () => {
    const blocker = dgram.createSocket('udp4')
    blocker.bind(0, '127.0.0.1')
    await once(blocker, 'listening')
    try {
      const taken = blocker.address().port
      const s = swarm({ preferredPort: taken })
      await s.listen()
      const tcpPort = s.address()?.port
      expect(tcpPort).not.toBe(taken)
      expect((s.dht as DHT).address().port).toBe(tcpPort)
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()))
    }
  })

  it('destroy() closes every socket', async () => {
    const topic = randomBytes(32)
    const a = swarm()
    const b = swarm()
    const c = swarm()
    await a.join(topic, { announce: true, lookup: false })
    b.join(topic)
    c.join(topic)
    await Promise.all([b.flush(), c.flush()])
    await until(() => a.connections.size === 2, 5000, 'two connections')
    const sockets: SwarmSocket[] = [...a.connections, ...b.connections, ...c.connections]
    const closedAtB = waitFor(b, 'disconnection')
    const closedAtC = waitFor(c, 'disconnection')
    await a.destroy()
    await Promise.all([closedAtB, closedAtC])
    await Promise.all([b.destroy(), c.destroy()])
    expect(sockets.every((s) => s.destroyed)).toBe(true)
    expect([a, b, c].map((s) => s.connections.size)).toEqual([0, 0, 0])
  })
})
