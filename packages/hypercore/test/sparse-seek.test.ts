// A sparse seek learns tree nodes with a byte-offset request answered hash-only: no block moves.
import { afterEach, describe, expect, it } from 'vitest'
import { Hypercore } from '../src/index.js'
import { memoryStorage } from './helpers.js'
import { type OriginalFeed, cb, openOriginal, ramV3 } from './interop/original.js'

const BLOCK = 64 * 1024
const COUNT = 64
const OFFSET = 1024 * 1024 + 1000 // inside block 16

const closers: (() => unknown)[] = []
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c()
})

/** Either side's replication stream: it pipes into the other and back. */
interface Wire extends NodeJS.WritableStream {
  pipe<T extends NodeJS.WritableStream>(dest: T): T
  destroy(): void
}

/** Pipes a <-> b and counts the bytes a sends to b. */
function connect(a: Wire, b: Wire): { bytes: () => number } {
  let sent = 0
  a.on('data', (chunk: unknown) => {
    sent += (chunk as Uint8Array).length
  })
  a.on('error', () => {})
  b.on('error', () => {})
  a.pipe(b)
  b.pipe(a)
  closers.push(() => {
    a.destroy()
    b.destroy()
  })
  return { bytes: () => sent }
}

function content(): Buffer[] {
  return Array.from({ length: COUNT }, (_, i) => Buffer.alloc(BLOCK, i))
}

function ours(key?: Buffer, opts = {}): Hypercore {
  const core = new Hypercore(memoryStorage(), key, opts)
  closers.push(() => core.close())
  return core
}

async function original(key: Buffer | null, opts = {}): Promise<OriginalFeed> {
  const feed = await openOriginal(ramV3, key, opts)
  closers.push(() => cb((done) => feed.close(done)))
  return feed
}

describe('sparse seek', () => {
  it('ours -> ours: a mid-file seek + get moves exactly the covering block', async () => {
    const a = ours()
    await a.append(content())
    const b = ours(a.key as Buffer, { sparse: true })
    await b.ready()
    const wire = connect(a.replicate(true, { live: true }), b.replicate(false, { live: true }))
    const downloaded: number[] = []
    const uploaded: number[] = []
    b.on('download', (i) => downloaded.push(i))
    a.on('upload', (i) => uploaded.push(i))
    await b.update({ ifAvailable: true })
    expect(b.length).toBe(COUNT)
    const before = wire.bytes()
    expect(await b.seek(OFFSET)).toEqual([16, 1000])
    expect(downloaded).toEqual([])
    expect(uploaded).toEqual([])
    const seekBytes = wire.bytes() - before
    expect(seekBytes).toBeLessThan(4096)
    const block = (await b.get(16)) as Buffer
    expect(block.equals(Buffer.alloc(BLOCK, 16))).toBe(true)
    expect(downloaded).toEqual([16])
    expect(uploaded).toEqual([16])
    const moved = wire.bytes() - before
    expect(moved).toBeGreaterThanOrEqual(BLOCK)
    expect(moved).toBeLessThan(BLOCK + 8192)
    // Seeking again into the same subtree needs nothing new.
    const again = wire.bytes()
    expect(await b.seek(OFFSET + BLOCK)).toEqual([17, 1000])
    expect(wire.bytes()).toBe(again)
    expect(b.has(0)).toBe(false)
  })

  it('a replica that knows only the remote length seeks with one request (no update first)', async () => {
    const a = ours()
    await a.append(content())
    const b = ours(a.key as Buffer, { sparse: true })
    await b.ready()
    const remoteKnown = new Promise<void>((resolve) => b.once('remote-update', () => resolve()))
    connect(a.replicate(true, { live: true }), b.replicate(false, { live: true }))
    await remoteKnown
    expect(b.length).toBe(0)
    expect(b.remoteLength).toBe(COUNT)
    const writerPeer = a.peers[0] as unknown as { onrequest(r: { bytes: number }): void }
    const requests: number[] = []
    const onrequest = writerPeer.onrequest.bind(writerPeer)
    writerPeer.onrequest = (request) => {
      requests.push(request.bytes)
      onrequest(request)
    }
    expect(await b.seek(OFFSET, { timeout: 5000 })).toEqual([16, 1000])
    expect(requests).toEqual([OFFSET])
    expect(b.length).toBe(COUNT)
    expect(b.byteLength).toBe(COUNT * BLOCK)
    expect(b.downloaded()).toBe(0)
  })

  it('ours reading from an hypercore@9 writer: seek downloads no block', async () => {
    const a = await original(null)
    await cb<number>((done) => a.append(content(), done))
    const b = ours(a.key, { sparse: true })
    await b.ready()
    const wire = connect(a.replicate(true, { live: true }), b.replicate(false, { live: true }))
    const downloaded: number[] = []
    b.on('download', (i) => downloaded.push(i))
    await b.update({ ifAvailable: true })
    expect(b.length).toBe(COUNT)
    const before = wire.bytes()
    expect(await b.seek(OFFSET, { timeout: 5000 })).toEqual([16, 1000])
    expect(downloaded).toEqual([])
    expect(wire.bytes() - before).toBeLessThan(4096)
    const block = (await b.get(16, { timeout: 5000 })) as Buffer
    expect(block.equals(Buffer.alloc(BLOCK, 16))).toBe(true)
    expect(downloaded).toEqual([16])
    expect(wire.bytes() - before).toBeLessThan(BLOCK + 8192)
  })

  it('ours seeking straight away (no update first) from an hypercore@9 writer', async () => {
    const a = await original(null)
    await cb<number>((done) => a.append(content(), done))
    const b = ours(a.key, { sparse: true })
    await b.ready()
    const remoteKnown = new Promise<void>((resolve) => b.once('remote-update', () => resolve()))
    connect(a.replicate(true, { live: true }), b.replicate(false, { live: true }))
    await remoteKnown
    expect(b.length).toBe(0)
    const downloaded: number[] = []
    b.on('download', (i) => downloaded.push(i))
    expect(await b.seek(OFFSET, { timeout: 5000 })).toEqual([16, 1000])
    expect(b.length).toBe(COUNT)
    expect(downloaded).toEqual([])
    const block = (await b.get(16, { timeout: 5000 })) as Buffer
    expect(block.equals(Buffer.alloc(BLOCK, 16))).toBe(true)
  })

  it('hypercore@9 reading from our writer: its seek makes us upload no block', async () => {
    const a = ours()
    await a.append(content())
    const b = await original(a.key as Buffer, { sparse: true })
    const wire = connect(a.replicate(true, { live: true }), b.replicate(false, { live: true }))
    const uploaded: number[] = []
    a.on('upload', (i) => uploaded.push(i))
    await cb((done) => b.update({ ifAvailable: true }, done))
    expect(b.length).toBe(COUNT)
    const before = wire.bytes()
    const [index, offset] = await new Promise<[number, number]>((resolve, reject) =>
      b.seek(OFFSET, {}, (err, i, o) => (err ? reject(err) : resolve([i as number, o as number]))),
    )
    expect([index, offset]).toEqual([16, 1000])
    expect(uploaded).toEqual([])
    expect(wire.bytes() - before).toBeLessThan(4096)
  })
})
