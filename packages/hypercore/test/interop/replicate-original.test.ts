// Replication between our Hypercore and hypercore@9: stream pair and TCP, full and sparse, live, both roles.
import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { Hypercore } from '../../src/index.js'
import { memoryStorage } from '../helpers.js'
import { type OriginalFeed, cb, openOriginal, ramV3 } from './original.js'

const closers: (() => unknown)[] = []
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c()
})

type Transport = 'pair' | 'tcp'
/** A replication stream of either side: a socket pipes into it, and it pipes out. */
interface Pipeable extends NodeJS.WritableStream {
  pipe<T extends NodeJS.WritableStream>(dest: T): T
  destroy(err?: Error): void
}

function ours(key?: Buffer | null, opts = {}): Hypercore {
  const c = new Hypercore(memoryStorage(), key ?? undefined, opts)
  closers.push(() => c.close())
  return c
}

async function original(key?: Buffer | null, opts = {}): Promise<OriginalFeed> {
  const feed = await openOriginal(ramV3, key ?? null, opts)
  closers.push(() => cb((done) => feed.close(done)))
  return feed
}

/** Connects two protocol streams directly or through a loopback TCP connection. */
async function connect(a: Pipeable, b: Pipeable, transport: Transport): Promise<void> {
  a.on('error', () => {})
  b.on('error', () => {})
  closers.push(() => {
    a.destroy()
    b.destroy()
  })
  if (transport === 'pair') {
    a.pipe(b)
    b.pipe(a)
    return
  }
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const port = (server.address() as net.AddressInfo).port
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve))
  const client = net.connect(port, '127.0.0.1')
  const socket = await accepted
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        client.destroy()
        socket.destroy()
        server.close(() => resolve())
      }),
  )
  for (const s of [client, socket]) s.on('error', () => {})
  a.pipe(client).pipe(a)
  b.pipe(socket).pipe(b)
}

function blocks(n: number, tag: string): Buffer[] {
  return Array.from({ length: n }, (_, i) => Buffer.from(`${tag} block ${i} `.repeat(1 + (i % 5))))
}

function waitFor(check: () => boolean, what: string, ms = 8000): Promise<void> {
  return new Promise((resolve, reject) => {
    const start = Date.now()
    const tick = () => {
      if (check()) return resolve()
      if (Date.now() - start > ms) return reject(new Error(`timed out waiting for ${what}`))
      setTimeout(tick, 5)
    }
    tick()
  })
}

for (const transport of ['pair', 'tcp'] as const) {
  describe(`replication with hypercore@9 over ${transport}`, () => {
    it('ours writes, hypercore@9 reads everything (full), then a live append', async () => {
      const writer = ours()
      const data = blocks(300, 'ours')
      await writer.append(data.slice(0, 150))
      await writer.append(data.slice(150, 299))
      const reader = await original(writer.key)
      await connect(
        writer.replicate(true, { live: true }),
        reader.replicate(false, { live: true }),
        transport,
      )
      await cb((done) => reader.download({ start: 0, end: 299 }, done))
      for (let i = 0; i < 299; i += 17)
        expect(await cb<Buffer>((d) => reader.get(i, {}, d))).toEqual(data[i])
      await writer.append(data[299])
      expect(await cb<Buffer>((d) => reader.get(299, {}, d))).toEqual(data[299])
      expect(reader.length).toBe(300)
    })

    it('hypercore@9 writes, ours reads everything (full), then a live append', async () => {
      const writer = await original()
      const data = blocks(300, 'v9')
      await cb<number>((done) => writer.append(data.slice(0, 299), done))
      const reader = ours(writer.key)
      await reader.ready()
      await connect(
        writer.replicate(true, { live: true }),
        reader.replicate(false, { live: true }),
        transport,
      )
      await reader.download({ start: 0, end: 299 })
      expect(await reader.audit()).toEqual({ valid: 299, invalid: 0 })
      for (let i = 0; i < 299; i += 17) expect((await reader.get(i)) as Buffer).toEqual(data[i])
      await cb<number>((done) => writer.append(data[299], done))
      expect((await reader.get(299)) as Buffer).toEqual(data[299])
      expect(reader.length).toBe(300)
    })

    it('sparse: hypercore@9 fetches single blocks from ours (we are the responder, they initiate)', async () => {
      const writer = ours()
      const data = blocks(100, 'ours')
      await writer.append(data)
      const reader = await original(writer.key, { sparse: true })
      await connect(
        reader.replicate(true, { live: true }),
        writer.replicate(false, { live: true }),
        transport,
      )
      expect(await cb<Buffer>((d) => reader.get(63, {}, d))).toEqual(data[63])
      expect(await cb<Buffer>((d) => reader.get(7, {}, d))).toEqual(data[7])
      expect(reader.has(8)).toBe(false)
    })

    it('sparse: ours fetches single blocks from hypercore@9 (we initiate)', async () => {
      const writer = await original()
      const data = blocks(100, 'v9')
      await cb<number>((done) => writer.append(data, done))
      const reader = ours(writer.key, { sparse: true })
      await connect(
        reader.replicate(true, { live: true }),
        writer.replicate(false, { live: true }),
        transport,
      )
      expect((await reader.get(63)) as Buffer).toEqual(data[63])
      expect((await reader.get(7)) as Buffer).toEqual(data[7])
      expect(reader.has(8)).toBe(false)
      expect(reader.length).toBe(100)
    })

    it('non-live: both streams end once ours has everything from hypercore@9', async () => {
      const writer = await original()
      const data = blocks(40, 'v9')
      await cb<number>((done) => writer.append(data, done))
      const reader = ours(writer.key)
      await reader.ready()
      const a = writer.replicate(true)
      const b = reader.replicate(false)
      const ended = new Promise<void>((resolve) => b.once('close', () => resolve()))
      await connect(a, b, transport)
      await ended
      expect(reader.length).toBe(40)
      expect(reader.downloaded()).toBe(40)
    })

    it('live sparse: ours sees hypercore@9 appends via update', async () => {
      const writer = await original()
      await cb<number>((done) => writer.append(Buffer.from('one'), done))
      const reader = ours(writer.key, { sparse: true })
      await connect(
        reader.replicate(true, { live: true }),
        writer.replicate(false, { live: true }),
        transport,
      )
      await reader.update({ minLength: 1 })
      const next = reader.update({ minLength: 3 })
      await cb<number>((done) => writer.append([Buffer.from('two'), Buffer.from('three')], done))
      await next
      expect(((await reader.get(2)) as Buffer).toString()).toBe('three')
      await waitFor(() => reader.length === 3, 'length 3')
    })
  })
}
