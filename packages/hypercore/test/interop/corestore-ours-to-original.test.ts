// A folder written by our Corestore opens in corestore@5 with the same keys, writability and data,
// and what corestore@5 appends there reads back in ours.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { keyPairFromSeed } from '../../src/corestore-keys.js'
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
interface OriginalCorestore {
  ready(): Promise<void>
  get(opts?: object): OriginalFeed
  default(opts?: object): OriginalFeed
  namespace(name?: string): OriginalCorestore
  close(cb: (err: Error | null) => void): void
}
type OriginalCorestoreClass = new (storage: unknown, opts?: object) => OriginalCorestore
const OriginalCorestore = require('corestore') as OriginalCorestoreClass
// corestore@5 cannot construct the random-access-file@4 it resolves here; give it hypercore@9's.
const requireFromHypercore = createRequire(require.resolve('hypercore'))
const defaultStorage = requireFromHypercore('hypercore-default-storage') as (
  name: string,
) => unknown
const folder = (dir: string) => (name: string) => defaultStorage(join(dir, name))

const cb = <T = void>(fn: (done: (err: Error | null, value?: T) => void) => void) =>
  new Promise<T>((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value as T))))
const hex = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('hex'))
async function open(feed: OriginalFeed) {
  await cb((done) => feed.ready(done))
  return feed
}

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('our Corestore writes, corestore@5 reads', () => {
  it('opens every kind of core with the same keys, writability and blocks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corestore-interop-'))
    dirs.push(dir)
    const pair = keyPairFromSeed(Buffer.alloc(32, 11))
    const foreignKey = keyPairFromSeed(Buffer.alloc(32, 12)).publicKey

    const ours = new Corestore(dir)
    await ours.ready()
    const main = ours.default()
    await main.append([Buffer.from('a'), Buffer.from('b')])
    const nested = ours
      .namespace('outer')
      .namespace(Buffer.from([1, 2]))
      .default()
    await nested.append(Buffer.from('nested'))
    const random = ours.get()
    await random.append(Buffer.from('random'))
    const withPair = ours.get({ keyPair: pair })
    await withPair.append(Buffer.from('pair'))
    await ours.get({ key: foreignKey }).ready()
    const ids = [main, nested, random, withPair].map((c) => hex(c.discoveryKey))
    await ours.close()
    expect(readFileSync(join(dir, 'master_key')).byteLength).toBe(32)

    const original = new OriginalCorestore(folder(dir))
    await original.ready()
    const theirMain = await open(original.default())
    expect(hex(theirMain.key)).toBe(hex(main.key))
    expect(theirMain.writable).toBe(true)
    expect(theirMain.length).toBe(2)
    expect((await cb<Buffer>((done) => theirMain.get(1, done))).toString()).toBe('b')
    await cb((done) => theirMain.append(Buffer.from('from v5'), done))

    const theirNested = await open(original.namespace('outer').namespace('0102').default())
    expect(hex(theirNested.key)).toBe(hex(nested.key))
    expect((await cb<Buffer>((done) => theirNested.get(0, done))).toString()).toBe('nested')

    const theirRandom = await open(original.get({ discoveryKey: random.discoveryKey }))
    expect(hex(theirRandom.key)).toBe(hex(random.key))
    expect(theirRandom.writable).toBe(true)

    const theirPair = await open(original.get({ key: pair.publicKey }))
    expect(theirPair.writable).toBe(true)
    expect((await cb<Buffer>((done) => theirPair.get(0, done))).toString()).toBe('pair')

    const theirForeign = await open(original.get({ key: foreignKey }))
    expect(theirForeign.writable).toBe(false)
    expect(theirForeign.length).toBe(0)
    await cb((done) => original.close(done))

    const again = new Corestore(dir)
    await again.ready()
    const reread = again.default()
    await reread.ready()
    expect(reread.length).toBe(3)
    expect((await reread.get(2))?.toString()).toBe('from v5')
    expect([...again.list().keys()]).toEqual([ids[0]])
    await again.close()
  })
})
