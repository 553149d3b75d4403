// Connections are plain Node duplexes: `socket.pipe(stream).pipe(socket)` works with a streamx
// Duplex (what hypercore-protocol's replication streams are), over TCP and over UDP streams.
import { randomBytes } from 'node:crypto'
import dgram from 'node:dgram'
import { once } from 'node:events'
import { Duplex } from 'streamx'
import { afterEach, describe, expect, it } from 'vitest'
import type { SwarmSocket } from '../src/peer.js'
import { Hyperswarm } from '../src/swarm.js'
import type { UdpStream } from '../src/udp-stream.js'
import { UdpStreamTransport } from '../src/udp-transport.js'
import { FakeNetwork } from './fake-dht.js'
import { waitFor } from './helpers.js'

/** A streamx duplex that answers every chunk with `reply(chunk)` (a stand-in for a protocol). */
function protocol(reply: (chunk: Buffer) => Buffer): Duplex {
  const stream: Duplex = new Duplex({
    write(data: unknown, cb: (err: Error | null) => void) {
      stream.push(reply(data as Buffer))
      cb(null)
    },
  })
  return stream
}

/** Pipes `socket` through an uppercasing protocol and checks a round trip from `other`. */
async function roundTrip(socket: SwarmSocket, other: SwarmSocket): Promise<void> {
  const proto = protocol((c) => Buffer.from(c.toString().toUpperCase()))
  // Closing the socket at teardown ends the protocol prematurely; a real protocol reports that.
  proto.on('error', () => {})
  socket.pipe(proto).pipe(socket)
  const payload = randomBytes(8).toString('hex')
  const reply = waitFor<[Buffer]>(other, 'data')
  other.write(payload)
  expect((await reply)[0].toString()).toBe(payload.toUpperCase())
}

const cleanups: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn()
})

describe('socket.pipe(stream).pipe(socket)', () => {
  it('works on swarm TCP connections', async () => {
    const net = new FakeNetwork()
    const topic = randomBytes(32)
    const a = new Hyperswarm({ dht: net.dht(), host: '127.0.0.1' })
    const b = new Hyperswarm({ dht: net.dht(), host: '127.0.0.1' })
    cleanups.push(
      () => a.destroy(),
      () => b.destroy(),
    )
    const incoming = waitFor<[SwarmSocket]>(a, 'connection')
    const outgoing = waitFor<[SwarmSocket]>(b, 'connection')
    await a.join(topic, { announce: true, lookup: false })
    b.join(topic)
    const [[server], [client]] = await Promise.all([incoming, outgoing])
    await roundTrip(server, client)
  })

  it('works on UDP streams', async () => {
    const sockets = [dgram.createSocket('udp4'), dgram.createSocket('udp4')]
    for (const s of sockets) {
      s.bind(0, '127.0.0.1')
      await once(s, 'listening')
      cleanups.push(() => new Promise<void>((resolve) => s.close(() => resolve())))
    }
    const [ta, tb] = sockets.map((s) => new UdpStreamTransport(s))
    cleanups.push(
      () => ta.close(),
      () => tb.close(),
    )
    const accepted = waitFor<[UdpStream]>(tb, 'connection')
    const client = await ta.connect({ host: '127.0.0.1', port: sockets[1].address().port })
    const [server] = await accepted
    await roundTrip(server, client)
  })
})
