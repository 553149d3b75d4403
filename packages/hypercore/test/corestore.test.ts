// Corestore: cores by name, key, key pair and discovery key; namespaces; cache; close.
import { readFileSync } from 'node:fs'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import RandomAccessMemory from 'random-access-memory'
import { afterEach, describe, expect, it } from 'vitest'
import { CorestoreNotReadyError } from '../src/corestore-errors.js'
import { coreDiscoveryKey, keyPairFromSeed } from '../src/corestore-keys.js'
import {
  Corestore,
  type CorestoreOptions,
  type CorestoreStorageFunction,
} from '../src/corestore.js'
import { HypercoreError } from '../src/errors.js'

interface VectorEntry {
  name: string
  publicKey: string
  discoveryKey: string
  storageDir: string
}
const vector = JSON.parse(
  readFileSync(`${process.env.HYPERSTACK_SHARED}/spec/vectors/hyperdrive-corestore.json`, 'utf8'),
) as { masterKey: string; entries: VectorEntry[]; nestedNamespace: { publicKey: string } }
const masterKey = Buffer.from(vector.masterKey, 'hex')
const hex = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('hex'))

const stores: Corestore[] = []
const dirs: string[] = []
function newStore(
  storage: string | CorestoreStorageFunction = RandomAccessMemory.reusable(),
  opts: CorestoreOptions = {},
) {
  const store = new Corestore(storage, opts)
  stores.push(store)
  return store
}
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()))
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('Corestore', () => {
  it('derives default() and named cores from the master key (vector)', async () => {
    const store = newStore(RandomAccessMemory.reusable(), { masterKey })
    await store.ready()
    const core = store.default()
    await core.ready()
    expect(hex(core.key)).toBe(vector.entries[0].publicKey)
    expect(hex(core.discoveryKey)).toBe(vector.entries[0].discoveryKey)
    expect(core.writable).toBe(true)
    const b = store.get({ name: 'b' })
    await b.ready()
    expect(hex(b.key)).toBe(vector.entries[1].publicKey)
    expect(store.namespace('b').default()).toBe(b)
  })

  it('derives nested namespaces (outer:inner)', async () => {
    const store = newStore(RandomAccessMemory.reusable(), { masterKey })
    await store.ready()
    const core = store.namespace('outer').namespace('inner').default()
    await core.ready()
    expect(hex(core.key)).toBe(vector.nestedNamespace.publicKey)
    expect(store.namespace('outer').name).toBe('outer')
    expect(store.namespace('outer').namespace('inner').name).toBe('outer:inner')
  })

  it('returns one instance per core, whatever names it', async () => {
    const store = newStore()
    await store.ready()
    const core = store.default()
    await core.ready()
    expect(store.get({ key: core.key ?? undefined })).toBe(core)
    expect(store.get(hex(core.key) ?? '')).toBe(core)
    expect(store.get(core.key ?? undefined)).toBe(core)
    expect(store.get({ discoveryKey: core.discoveryKey ?? undefined })).toBe(core)
    expect(store.isLoaded({ name: 'default' })).toBe(true)
    expect(store.isLoaded({ name: 'other' })).toBe(false)
    expect(store.isExternal({ name: 'default' })).toBe(true)
  })

  it('gives each get() without a name a new writable core', async () => {
    const store = newStore()
    await store.ready()
    const a = store.get()
    const b = store.get()
    await Promise.all([a.ready(), b.ready()])
    expect(a === b).toBe(false)
    expect(a.writable && b.writable).toBe(true)
    expect(hex(a.key)).not.toBe(hex(b.key))
  })

  it('lists the cores each store opened', async () => {
    const store = newStore()
    await store.ready()
    const a = store.default()
    const ns = store.namespace('x')
    const b = ns.default()
    await Promise.all([a.ready(), b.ready()])
    expect([...store.list().values()]).toEqual([a])
    expect([...ns.list().values()]).toEqual([b])
    expect([...ns.list().keys()]).toEqual([hex(b.discoveryKey)])
  })

  it('emits feed for each opened core', async () => {
    const store = newStore()
    await store.ready()
    const seen = new Promise<unknown>((resolve) => store.once('feed', resolve))
    const core = store.default()
    expect(await seen).toBe(core)
  })

  it('keeps data across reopen, and named cores stay writable when reopened by key', async () => {
    const storage = RandomAccessMemory.reusable()
    const store = newStore(storage)
    await store.ready()
    const core = store.get({ name: 'notes' })
    await core.append([Buffer.from('a'), Buffer.from('b')])
    const key = core.key
    await store.close()
    expect(core.closed).toBe(true)

    const again = newStore(storage)
    await again.ready()
    const byKey = again.get({ key: key ?? undefined })
    await byKey.ready()
    expect(byKey.writable).toBe(true)
    expect(byKey.length).toBe(2)
    expect((await byKey.get(1))?.toString()).toBe('b')
    await byKey.append(Buffer.from('c'))
    expect(byKey.length).toBe(3)
  })

  it('opens a core by explicit key pair and keeps it writable across reopen', async () => {
    const storage = RandomAccessMemory.reusable()
    const pair = keyPairFromSeed(Buffer.alloc(32, 5))
    const store = newStore(storage)
    await store.ready()
    const core = store.get({ keyPair: pair })
    await core.append(Buffer.from('x'))
    expect(hex(core.key)).toBe(hex(pair.publicKey))
    await store.close()

    const again = newStore(storage)
    await again.ready()
    const byDiscoveryKey = again.get({ discoveryKey: coreDiscoveryKey(pair.publicKey) })
    await byDiscoveryKey.ready()
    expect(hex(byDiscoveryKey.key)).toBe(hex(pair.publicKey))
    expect(byDiscoveryKey.writable).toBe(true)
    expect(byDiscoveryKey.length).toBe(1)
  })

  it('opens a foreign key read-only and fails for an unknown discovery key', async () => {
    const store = newStore()
    await store.ready()
    const pair = keyPairFromSeed(Buffer.alloc(32, 6))
    const reader = store.get({ key: pair.publicKey })
    await reader.ready()
    expect(reader.writable).toBe(false)
    const unknown = store.get({ discoveryKey: Buffer.alloc(32, 7) })
    await expect(unknown.ready()).rejects.toThrow()
    expect(store.isLoaded({ discoveryKey: Buffer.alloc(32, 7) })).toBe(false)
  })

  it('throws typed errors: before ready, after close, bad keys and options', async () => {
    const store = newStore()
    expect(() => store.get()).toThrow(expect.objectContaining({ code: 'ERR_CORESTORE_NOT_READY' }))
    expect(() => store.get()).toThrow(HypercoreError)
    expect(() => store.get()).toThrow(CorestoreNotReadyError)
    await store.ready()
    expect(() => store.get({ key: 'abc' })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_KEY' }),
    )
    expect(() => store.get({ default: true })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_CORE_OPTIONS' }),
    )
    expect(
      () => new Corestore(RandomAccessMemory.reusable(), { masterKey: Buffer.alloc(3) }),
    ).toThrow(expect.objectContaining({ code: 'ERR_INVALID_KEY' }))
    await store.close()
    expect(() => store.get()).toThrow(expect.objectContaining({ code: 'ERR_CORESTORE_CLOSED' }))
    await expect(store.ready()).rejects.toThrow(
      expect.objectContaining({ code: 'ERR_CORESTORE_CLOSED' }),
    )
  })

  it('closing a namespace keeps its cores open for the root store', async () => {
    const store = newStore()
    await store.ready()
    const ns = store.namespace('n')
    const core = ns.default()
    await core.ready()
    await ns.close()
    expect(core.closed).toBe(false)
    const sibling = store.namespace('m')
    expect(store.isExternal({ name: 'n' })).toBe(false)
    await store.close()
    expect(core.closed).toBe(true)
    // The folder is closed for every store that shares it.
    expect(() => sibling.default()).toThrow(
      expect.objectContaining({ code: 'ERR_CORESTORE_CLOSED' }),
    )
    await expect(sibling.ready()).rejects.toThrow(
      expect.objectContaining({ code: 'ERR_CORESTORE_CLOSED' }),
    )
  })

  it('closes unreferenced cores beyond cacheSize, oldest first', async () => {
    const store = newStore(RandomAccessMemory.reusable(), { cacheSize: 1 })
    await store.ready()
    const a = store.default()
    await a.ready()
    const ns = store.namespace('n')
    const b = ns.default()
    await b.ready()
    await ns.close()
    const evicted = new Promise((resolve) => b.once('close', () => resolve(true)))
    const c = store.get({ name: 'c' })
    await c.ready()
    expect(await evicted).toBe(true)
    expect(b.closed).toBe(true)
    expect(a.closed).toBe(false)
    expect(store.isLoaded({ name: 'n' })).toBe(false)
  })

  it('writes the corestore@5 layout to a folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corestore-'))
    dirs.push(dir)
    const store = newStore(dir, { masterKey })
    await store.ready()
    const core = store.default()
    await core.append(Buffer.from('hi'))
    await store.close()
    const folder = join(dir, vector.entries[0].storageDir)
    expect(readFileSync(join(folder, 'name')).toString('hex')).toBe('0764656661756c74')
    expect(hex(readFileSync(join(folder, 'key')))).toBe(vector.entries[0].publicKey)
    expect(readFileSync(join(folder, 'data')).toString()).toBe('hi')
  })
})
