// A folder written by corestore@5 opens in our Corestore with the same keys, writability and data
// (and what we append there reads back in corestore@5); the same operations with the same master
// key produce byte-identical folders.
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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
interface OriginalCorestore {
  ready(): Promise<void>
  get(opts?: object): OriginalFeed
  default(opts?: object): OriginalFeed
  namespace(name?: string): OriginalCorestore
  close(cb: (err: Error | null) => void): void
}
type OriginalCorestoreClass = new (storage: unknown, opts?: object) => OriginalCorestore
const OriginalCorestore = require('corestore') as OriginalCorestoreClass
// corestore@5 resolves random-access-file@4 here, which it cannot construct; hand it the
// random-access-file@2 storage hypercore@9 itself uses, as it would get in 2020.
const requireFromHypercore = createRequire(require.resolve('hypercore'))
const defaultStorage = requireFromHypercore('hypercore-default-storage') as (
  name: string,
) => unknown
const folder = (dir: string) => (name: string) => defaultStorage(join(dir, name))

const cb = <T = void>(fn: (done: (err: Error | null, value?: T) => void) => void) =>
  new Promise<T>((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value as T))))
const hex = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('hex'))

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})
function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'corestore-interop-'))
  dirs.push(dir)
  return dir
}

function fileDigests(root: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {}
  for (const entry of readdirSync(join(root, prefix))) {
    const rel = prefix ? `${prefix}/${entry}` : entry
    if (statSync(join(root, rel)).isDirectory()) Object.assign(out, fileDigests(root, rel))
    else
      out[rel] = createHash('sha256')
        .update(readFileSync(join(root, rel)))
        .digest('hex')
  }
  return out
}

/** Some other writer's core, opened read-only by public key. */
const FOREIGN_KEY = Buffer.from(
  'f7a5b8b4a0d4bb3a8e4a0e4e1f6f6f2b64b3bc4d2f2eba8a3c7f9e8d5b1a0c3e',
  'hex',
)

describe('corestore@5 writes, our Corestore reads', () => {
  it('opens every kind of core with the same keys, writability and blocks', async () => {
    const dir = tempDir()
    const original = new OriginalCorestore(folder(dir))
    await original.ready()
    const main = original.default()
    await cb((done) => main.ready(done))
    await cb((done) => main.append([Buffer.from('a'), Buffer.from('b')], done))
    const nested = original.namespace('outer').namespace('inner').default()
    await cb((done) => nested.ready(done))
    await cb((done) => nested.append(Buffer.from('nested'), done))
    const random = original.get()
    await cb((done) => random.ready(done))
    await cb((done) => random.append(Buffer.from('random'), done))
    const foreign = original.get({ key: FOREIGN_KEY })
    await cb((done) => foreign.ready(done))
    const masterKey = readFileSync(join(dir, 'master_key'))
    await cb((done) => original.close(done))

    const ours = new Corestore(dir)
    await ours.ready()
    const oursMain = ours.default()
    await oursMain.ready()
    expect(hex(oursMain.key)).toBe(hex(main.key))
    expect(oursMain.writable).toBe(true)
    expect(oursMain.length).toBe(2)
    expect((await oursMain.get(1))?.toString()).toBe('b')
    await oursMain.append(Buffer.from('from ours'))

    const oursNested = ours.namespace('outer').namespace('inner').default()
    await oursNested.ready()
    expect(hex(oursNested.key)).toBe(hex(nested.key))
    expect((await oursNested.get(0))?.toString()).toBe('nested')

    // A random-named core comes back writable by discovery key alone, through its name file.
    const oursRandom = ours.get({ discoveryKey: random.discoveryKey })
    await oursRandom.ready()
    expect(hex(oursRandom.key)).toBe(hex(random.key))
    expect(oursRandom.writable).toBe(true)
    expect((await oursRandom.get(0))?.toString()).toBe('random')

    const oursForeign = ours.get({ discoveryKey: foreign.discoveryKey })
    await oursForeign.ready()
    expect(hex(oursForeign.key)).toBe(hex(foreign.key))
    expect(oursForeign.writable).toBe(false)
    expect(readFileSync(join(dir, 'master_key')).equals(masterKey)).toBe(true)
    await ours.close()

    const again = new OriginalCorestore(folder(dir))
    await again.ready()
    const reread = again.default()
    await cb((done) => reread.ready(done))
    expect(reread.length).toBe(3)
    expect((await cb<Buffer>((done) => reread.get(2, done))).toString()).toBe('from ours')
    await cb((done) => again.close(done))
  })

  it('writes byte-identical folders for the same operations and master key', async () => {
    const masterKey = Buffer.alloc(32, 0x42)
    const theirsDir = tempDir()
    const oursDir = tempDir()
    const blocks = Array.from({ length: 20 }, (_, i) => Buffer.from(`block ${i}`.repeat(i + 1)))

    const original = new OriginalCorestore(folder(theirsDir), { masterKey })
    await original.ready()
    for (const name of ['default', 'b', 'outer:inner']) {
      const core = original.get({ name })
      await cb((done) => core.ready(done))
      await cb((done) => core.append(blocks.slice(0, 10), done))
      await cb((done) => core.append(blocks[10], done))
    }
    const foreign = original.get({ key: FOREIGN_KEY })
    await cb((done) => foreign.ready(done))
    await cb((done) => original.close(done))

    const ours = new Corestore(oursDir, { masterKey })
    await ours.ready()
    for (const name of ['default', 'b', 'outer:inner']) {
      const core = ours.get({ name })
      await core.append(blocks.slice(0, 10))
      await core.append(blocks[10])
    }
    await ours.get({ key: FOREIGN_KEY }).ready()
    await ours.close()

    const theirs = fileDigests(theirsDir)
    expect(Object.keys(theirs).length).toBeGreaterThan(15)
    expect(fileDigests(oursDir)).toEqual(theirs)
  })
})
