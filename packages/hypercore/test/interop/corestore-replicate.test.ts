// Our Corestore and corestore@5 replicate several cores over one stream, in both roles, including
// cores opened after connecting, live appends, and cores opened on demand from disk.
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import RandomAccessMemory from 'random-access-memory'
import { afterEach, describe, expect, it } from 'vitest'
import { Corestore } from '../../src/corestore.js'

const require = createRequire(import.meta.url)

interface OriginalFeed {
  key: Buffer
  discoveryKey: Buffer
  length: number
  writable: boolean
  ready(cb: (err: Error | null) => void): void
  append(data: Buffer | Buffer[], cb: (err: Error | null) => void): void
  get(index: number, cb: (err: Error | null, block?: Buffer) => void): void
}
interface OriginalStream extends NodeJS.ReadWriteStream {
  destroy(err?: Error): void
  on(event: string, fn: (...args: unknown[]) => void): this
}
/** Either end of a replication pair, as far as piping goes. */
interface Pipeable {
  pipe(dest: unknown): unknown
}
interface OriginalCorestore {
  ready(): Promise<void>
  get(opts?: object): OriginalFeed
  default(opts?: object): OriginalFeed
  namespace(name?: string): OriginalCorestore
  replicate(isInitiator: boolean, opts?: object): OriginalStream
  close(cb: (err: Error | null) => void): void
}
type OriginalCorestoreClass = new (storage: unknown, opts?: object) => OriginalCorestore
const OriginalCorestore = require('corestore') as OriginalCorestoreClass
const ramV3 = require('random-access-memory-v3') as () => unknown
const requireFromHypercore = createRequire(require.resolve('hypercore'))
const defaultStorage = requireFromHypercore('hypercore-default-storage') as (
  name: string,
) => unknown
const folder = (dir: string) => (name: string) => defaultStorage(join(dir, name))

const cb = <T = void>(fn: (done: (err: Error | null, value?: T) => void) => void) =>
  new Promise<T>((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value as T))))
const text = (b: unknown) => (b instanceof Uint8Array ? Buffer.from(b).toString() : null)
const getOriginal = (feed: OriginalFeed, index: number) =>
  cb<Buffer>((done) => feed.get(index, done)).then(text)

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function ourStore(storage: string | ReturnType<typeof RandomAccessMemory.reusable>) {
  const store = new Corestore(storage)
  cleanups.push(() => store.close())
  await store.ready()
  return store
}
async function originalStore(storage: unknown) {
  const store = new OriginalCorestore(storage)
  cleanups.push(() => cb((done) => store.close(done)))
  await store.ready()
  return store
}
function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'corestore-replicate-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Pipes our stream and the original's together; tearing down is not an error here. */
function connect(ours: Corestore, theirs: OriginalCorestore, oursInitiates: boolean) {
  const ourStream = ours.replicate(oursInitiates, { live: true })
  const theirStream = theirs.replicate(!oursInitiates, { live: true })
  const errors: unknown[] = []
  ourStream.on('error', (err) => errors.push(err))
  theirStream.on('error', (err) => errors.push(err))
  const ends: Pipeable[] = [ourStream, theirStream]
  ends[0].pipe(ends[1])
  ends[1].pipe(ends[0])
  cleanups.push(() => {
    ourStream.destroy()
    theirStream.destroy()
  })
  return { ourStream, theirStream, errors }
}

describe('Corestore ⇄ corestore@5 replication', () => {
  for (const oursInitiates of [true, false]) {
    const role = oursInitiates ? 'ours initiates' : 'corestore@5 initiates'

    it(`corestore@5 writes several cores, ours reads them over one stream (${role})`, async () => {
      const theirs = await originalStore(ramV3)
      const feeds = [theirs.default(), theirs.namespace('a').default(), theirs.get()]
      for (const [i, feed] of feeds.entries()) {
        await cb((done) => feed.ready(done))
        await cb((done) => feed.append([Buffer.from(`${i}-0`), Buffer.from(`${i}-1`)], done))
      }
      const ours = await ourStore(RandomAccessMemory.reusable())
      const first = ours.get({ key: feeds[0].key })
      await first.ready()
      const { ourStream, errors } = connect(ours, theirs, oursInitiates)

      expect(text(await first.get(1))).toBe('0-1')
      const later = ours.get({ key: feeds[2].key })
      expect(text(await later.get(0))).toBe('2-0')
      const viaNamespace = ours.namespace('x').get({ key: feeds[1].key })
      expect(text(await viaNamespace.get(1))).toBe('1-1')
      await cb((done) => feeds[0].append(Buffer.from('0-2'), done))
      expect(text(await first.get(2))).toBe('0-2')
      expect(ourStream.channelCount).toBe(3)
      expect(errors).toEqual([])
    })

    it(`ours writes several cores, corestore@5 reads them over one stream (${role})`, async () => {
      const ours = await ourStore(RandomAccessMemory.reusable())
      const cores = [ours.default(), ours.namespace('a').default(), ours.get()]
      for (const [i, core] of cores.entries()) {
        await core.append([Buffer.from(`${i}-0`), Buffer.from(`${i}-1`)])
      }
      const theirs = await originalStore(ramV3)
      const first = theirs.get({ key: cores[0].key })
      await cb((done) => first.ready(done))
      const { errors } = connect(ours, theirs, oursInitiates)

      expect(await getOriginal(first, 1)).toBe('0-1')
      const later = theirs.get({ key: cores[2].key })
      await cb((done) => later.ready(done))
      expect(await getOriginal(later, 0)).toBe('2-0')
      const viaNamespace = theirs.namespace('x').get({ key: cores[1].key })
      await cb((done) => viaNamespace.ready(done))
      expect(await getOriginal(viaNamespace, 1)).toBe('1-1')
      await cores[0].append(Buffer.from('0-2'))
      expect(await getOriginal(first, 2)).toBe('0-2')
      expect(errors).toEqual([])
    })
  }

  it('ours opens stored cores on demand when corestore@5 asks for them', async () => {
    const dir = tempDir()
    const writer = new Corestore(dir)
    await writer.ready()
    const a = writer.get({ name: 'a' })
    const b = writer.namespace('n').default()
    await a.append(Buffer.from('a0'))
    await b.append(Buffer.from('b0'))
    const keys = [a.key, b.key]
    await writer.close()

    const ours = await ourStore(dir)
    const theirs = await originalStore(ramV3)
    connect(ours, theirs, true)
    const readers = keys.map((key) => theirs.get({ key }))
    expect(await getOriginal(readers[0], 0)).toBe('a0')
    expect(await getOriginal(readers[1], 0)).toBe('b0')
    expect(ours.isLoaded({ key: keys[0] ?? undefined })).toBe(true)
  })

  it('corestore@5 opens stored cores on demand when ours asks for them', async () => {
    const dir = tempDir()
    const writer = new OriginalCorestore(folder(dir))
    await writer.ready()
    const a = writer.get({ name: 'a' })
    await cb((done) => a.ready(done))
    await cb((done) => a.append(Buffer.from('a0'), done))
    await cb((done) => writer.close(done))

    const theirs = await originalStore(folder(dir))
    const ours = await ourStore(RandomAccessMemory.reusable())
    connect(ours, theirs, false)
    const reader = ours.get({ key: a.key })
    expect(text(await reader.get(0))).toBe('a0')
  })

  it('replicates several cores over loopback TCP (ours listens, corestore@5 connects)', async () => {
    const theirs = await originalStore(ramV3)
    const feeds = [theirs.default(), theirs.namespace('t').default()]
    for (const [i, feed] of feeds.entries()) {
      await cb((done) => feed.ready(done))
      await cb((done) => feed.append(Buffer.from(`tcp-${i}`), done))
    }
    const ours = await ourStore(RandomAccessMemory.reusable())
    const readers = feeds.map((feed) => ours.get({ key: feed.key }))

    const server = net.createServer((socket) => {
      const stream = ours.replicate(false, { live: true })
      const ends: Pipeable[] = [socket, stream]
      stream.on('error', () => {})
      socket.on('error', () => {})
      ends[0].pipe(ends[1])
      ends[1].pipe(ends[0])
    })
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as net.AddressInfo
    const socket = net.connect(port, '127.0.0.1')
    const theirStream = theirs.replicate(true, { live: true })
    socket.on('error', () => {})
    theirStream.on('error', () => {})
    cleanups.push(() => {
      theirStream.destroy()
      socket.destroy()
    })
    const ends: Pipeable[] = [socket, theirStream]
    ends[0].pipe(ends[1])
    ends[1].pipe(ends[0])

    expect(text(await readers[0].get(0))).toBe('tcp-0')
    expect(text(await readers[1].get(0))).toBe('tcp-1')
  })
})
