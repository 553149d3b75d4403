import { createHash, randomBytes } from 'node:crypto'
import dgram from 'node:dgram'
import { once } from 'node:events'
import { afterEach, describe, expect, it } from 'vitest'
import type { UdpStreamError } from '../src/errors.js'
import { PacketType, decodePacket, encodePacket, isStreamPacket } from '../src/udp-packet.js'
import type { UdpStream } from '../src/udp-stream.js'
import { UdpStreamTransport } from '../src/udp-transport.js'
import { until, waitFor } from './helpers.js'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn()
})

async function udpSocket(): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4')
  socket.bind(0, '127.0.0.1')
  await once(socket, 'listening')
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        try {
          socket.close(() => resolve())
        } catch {
          resolve() // closed by the test already
        }
      }),
  )
  return socket
}

async function transport(opts?: ConstructorParameters<typeof UdpStreamTransport>[1]) {
  const socket = await udpSocket()
  const t = new UdpStreamTransport(socket, opts)
  cleanups.push(() => t.close())
  return { t, socket, port: socket.address().port }
}

/** A relay that drops `lossRate` of the datagrams and holds some back by one (seeded, so the
 * run is reproducible). */
async function lossyRelay(targetPort: number, lossRate: number) {
  const socket = await udpSocket()
  let client: dgram.RemoteInfo | null = null
  let seed = 12345
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed / 2147483648
  }
  let held: { buf: Buffer; port: number } | null = null
  socket.on('message', (buf, rinfo) => {
    const fromTarget = rinfo.port === targetPort
    if (!fromTarget) client = rinfo
    const port = fromTarget ? client?.port : targetPort
    if (port === undefined) return
    if (random() < lossRate) return
    if (random() < 0.1 && held === null) {
      held = { buf, port }
      return
    }
    socket.send(buf, port, '127.0.0.1')
    if (held !== null) {
      socket.send(held.buf, held.port, '127.0.0.1')
      held = null
    }
  })
  return socket.address().port
}

function sha(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex')
}

function collect(stream: UdpStream): Promise<Buffer> {
  const chunks: Buffer[] = []
  stream.on('data', (c: Buffer) => chunks.push(c))
  return new Promise((resolve, reject) => {
    stream.once('end', () => resolve(Buffer.concat(chunks)))
    stream.once('error', reject)
  })
}

describe('udp framing', () => {
  it('round-trips a packet and marks it as not-DHT, not-uTP', () => {
    const buf = encodePacket({
      type: PacketType.DATA,
      role: 1,
      connection: 0xdeadbeef,
      seq: 7,
      ack: 3,
      window: 64,
      sack: 5,
      payload: Buffer.from('hi'),
    })
    expect(buf.length).toBe(22)
    // The DHT skips datagrams >= 20 bytes whose first byte has low nibble 1.
    expect(buf[0] & 0x0f).toBe(1)
    expect(buf[0] >> 4).toBeGreaterThan(4)
    const p = decodePacket(buf)
    expect(p?.connection).toBe(0xdeadbeef)
    expect(p?.seq).toBe(7)
    expect(p?.ack).toBe(3)
    expect(p?.sack).toBe(5)
    expect(p?.payload.toString()).toBe('hi')
  })

  it('rejects DHT messages and malformed packets', () => {
    expect(isStreamPacket(Buffer.from('5801080110', 'hex'))).toBe(false)
    const good = encodePacket({
      type: PacketType.ACK,
      role: 2,
      connection: 1,
      seq: 0,
      ack: 1,
      window: 1,
      sack: 0,
      payload: Buffer.alloc(0),
    })
    const badRole = Buffer.from(good)
    badRole[1] = 9
    expect(decodePacket(badRole)).toBe(null)
    expect(decodePacket(Buffer.concat([good, Buffer.from([1])]))).toBe(null)
    for (let i = 0; i < 2000; i++) {
      const junk = randomBytes(Math.floor(Math.random() * 64))
      const p = decodePacket(junk)
      if (p !== null) expect(junk.length).toBe(20 + p.payload.length)
    }
  })
})

describe('UdpStreamTransport', () => {
  it('connects, carries data both ways and closes cleanly on end()', async () => {
    const a = await transport()
    const b = await transport()
    const accepted = waitFor<[UdpStream]>(b.t, 'connection')
    const client = await a.t.connect({ host: '127.0.0.1', port: b.port })
    const [server] = await accepted
    server.on('data', (d: Buffer) => server.write(Buffer.concat([Buffer.from('echo:'), d])))
    const reply = waitFor<[Buffer]>(client, 'data')
    client.write('ping')
    expect((await reply)[0].toString()).toBe('echo:ping')
    const closes = [waitFor(client, 'close'), waitFor(server, 'close')]
    const ended = waitFor(server, 'end')
    client.end()
    await ended
    await Promise.all(closes)
    expect(client.errored).toBe(null)
    expect(server.errored).toBe(null)
    expect(a.t.size).toBe(0)
    expect(b.t.size).toBe(0)
  })

  it('delivers 1 MiB intact through a relay that drops 10% and reorders', async () => {
    const a = await transport({ stream: { rto: 40 } })
    const b = await transport({ stream: { rto: 40 } })
    const relay = await lossyRelay(b.port, 0.1)
    const accepted = waitFor<[UdpStream]>(b.t, 'connection')
    const client = await a.t.connect({ host: '127.0.0.1', port: relay })
    const [server] = await accepted
    const received = collect(server)
    const data = randomBytes(1024 * 1024)
    client.end(data)
    expect(sha(await received)).toBe(sha(data))
  }, 20_000)

  it('destroy() resets the remote with ERR_UDP_RESET', async () => {
    const a = await transport()
    const b = await transport()
    const accepted = waitFor<[UdpStream]>(b.t, 'connection')
    const client = await a.t.connect({ host: '127.0.0.1', port: b.port })
    const [server] = await accepted
    const failed = waitFor<[UdpStreamError]>(server, 'error')
    client.destroy()
    const [err] = await failed
    expect(err.code).toBe('ERR_UDP_RESET')
  })

  it('keeps an idle stream alive with empty acks, and fails when the remote goes silent', async () => {
    const opts = { stream: { keepAlive: 20, idleTimeout: 150 } }
    const a = await transport(opts)
    const b = await transport(opts)
    const accepted = waitFor<[UdpStream]>(b.t, 'connection')
    const client = await a.t.connect({ host: '127.0.0.1', port: b.port })
    const [server] = await accepted
    // Idle for several idle timeouts: the keep-alives hold it open.
    let keptAlive = 0
    b.socket.on('message', () => keptAlive++)
    await until(() => keptAlive >= 20, 3000, 'keep-alive packets')
    expect(client.destroyed).toBe(false)
    expect(server.destroyed).toBe(false)
    // Silence the server's side (its socket closes without a word): the client gives up.
    const failed = waitFor<[UdpStreamError]>(client, 'error', 3000)
    b.socket.close()
    const [err] = await failed
    expect(err.code).toBe('ERR_UDP_TIMEOUT')
  })

  it('fails to connect with ERR_UDP_TIMEOUT when nobody answers', async () => {
    const a = await transport({ stream: { rto: 10, maxRetries: 3 } })
    const silent = await udpSocket()
    const err = await a.t
      .connect({ host: '127.0.0.1', port: silent.address().port })
      .catch((e: unknown) => e)
    expect((err as UdpStreamError).code).toBe('ERR_UDP_TIMEOUT')
    expect(a.t.size).toBe(0)
  })

  it('survives random packets of our own types aimed at a live stream', async () => {
    const a = await transport()
    const b = await transport()
    const accepted = waitFor<[UdpStream]>(b.t, 'connection')
    const client = await a.t.connect({ host: '127.0.0.1', port: b.port })
    const [server] = await accepted
    const errors: Error[] = []
    server.on('error', (err: Error) => errors.push(err))
    server.resume()
    const attacker = await udpSocket()
    const types = Object.values(PacketType).filter((t) => t !== PacketType.RESET)
    let seed = 7
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed % n
    }
    // Spoofing needs the client's address; on loopback the attacker sends from its own port, so
    // these land on unknown connections (answered by resets) unless aimed at the real one below.
    for (let i = 0; i < 500; i++) {
      const payload = randomBytes(random(40))
      const type = types[random(types.length)]
      attacker.send(
        encodePacket({
          type,
          role: 1,
          connection: random(2) === 0 ? client.connection : random(2 ** 31),
          seq: random(2 ** 31),
          ack: random(2 ** 31),
          window: random(65536),
          sack: random(65536),
          payload: type === PacketType.DATA ? payload : Buffer.alloc(0),
        }),
        b.port,
        '127.0.0.1',
      )
    }
    // The same garbage from the client's own socket hits the live stream itself.
    for (let i = 0; i < 200; i++) {
      a.socket.send(
        encodePacket({
          type: PacketType.DATA,
          role: 1,
          connection: client.connection,
          seq: random(2 ** 31),
          ack: 1,
          window: random(65536),
          sack: random(65536),
          payload: randomBytes(random(100)),
        }),
        b.port,
        '127.0.0.1',
      )
    }
    // The stream still works afterwards.
    const echoed = waitFor<[Buffer]>(client, 'data')
    server.on('data', () => server.write('still here'))
    client.write('are you there')
    expect((await echoed)[0].toString()).toBe('still here')
    expect(errors).toEqual([])
  })

  it('ignores DHT datagrams, counts junk, resets unknown connections, caps connections', async () => {
    const b = await transport({ maxConnections: 1 })
    const sender = await udpSocket()
    const replies: Buffer[] = []
    sender.on('message', (buf) => replies.push(buf))
    const send = (buf: Buffer) => sender.send(buf, b.port, '127.0.0.1')
    send(Buffer.from('58010801100a', 'hex'))
    const junk = Buffer.alloc(24, 0)
    junk[0] = PacketType.DATA
    junk[1] = 7
    send(junk)
    const packet = (type: number, connection: number) =>
      encodePacket({
        type: type as (typeof PacketType)[keyof typeof PacketType],
        role: 1,
        connection,
        seq: 1,
        ack: 1,
        window: 8,
        sack: 0,
        payload: Buffer.alloc(0),
      })
    send(packet(PacketType.FIN, 42))
    await until(() => replies.length === 1, 2000, 'a reset')
    expect(decodePacket(replies[0])?.type).toBe(PacketType.RESET)
    expect(b.t.stats.malformed).toBe(1)
    const accepted = waitFor(b.t, 'connection')
    send(packet(PacketType.SYN, 1))
    await accepted
    send(packet(PacketType.SYN, 2))
    await until(() => b.t.stats.refused === 1, 2000, 'the second SYN to be refused')
    expect(b.t.size).toBe(1)
  })
})
