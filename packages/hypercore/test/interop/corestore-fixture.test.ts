// The hyperdrive-v10-basic fixture (a corestore@5 folder) read by our Corestore key loading.
import { createHash } from 'node:crypto'
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { coreDiscoveryKey, deriveCoreKeys } from '../../src/corestore-keys.js'
import { coreStorageRoot } from '../../src/corestore-layout.js'
import { loadCoreKeys, loadMasterKey, toStorageFunction } from '../../src/corestore-storage.js'
import { Corestore } from '../../src/corestore.js'

const FIXTURE = `${process.env.HYPERSTACK_SHARED}/fixtures/hyperdrive-v10-basic/storage`
const CORES = [
  { name: 'default', key: 'fd6be4609ea12658c67369e6a63bd632a18be32ca80cb26e3e18594224323f5e' },
  {
    name: 'fd6be4609ea12658c67369e6a63bd632a18be32ca80cb26e3e18594224323f5e-content',
    key: '62cd63f5d7bc005931037c476a404ed3b09424d0858b16c2a7efa652b25cee20',
  },
  { name: 'b', key: '2a6f18049f29a10ab4d84343d26de16aca395271e88d2195115098fd10d21a27' },
  {
    name: '2a6f18049f29a10ab4d84343d26de16aca395271e88d2195115098fd10d21a27-content',
    key: 'a95ef54ee7ea4c7fb62b9efb7be0ad2fada01940c7d5efc6aa00281c8ef50d0a',
  },
]

function listCoreFolders(root: string): string[] {
  const out: string[] = []
  for (const a of readdirSync(root, { withFileTypes: true })) {
    if (!a.isDirectory()) continue
    for (const b of readdirSync(join(root, a.name))) {
      for (const dk of readdirSync(join(root, a.name, b))) out.push(`${a.name}/${b}/${dk}`)
    }
  }
  return out.sort()
}

function digestTree(root: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const folder of listCoreFolders(root)) {
    for (const file of readdirSync(join(root, folder))) {
      const bytes = readFileSync(join(root, folder, file))
      out.set(`${folder}/${file}`, createHash('sha256').update(bytes).digest('hex'))
    }
  }
  return out
}

describe('corestore@5 fixture hyperdrive-v10-basic', () => {
  let dir = ''
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'corestore-fixture-'))
    cpSync(FIXTURE, dir, { recursive: true })
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('reads the master key from master_key', async () => {
    const masterKey = await loadMasterKey(toStorageFunction(dir))
    expect(masterKey.toString('hex')).toBe('42'.repeat(32))
  })

  it('has one folder per core, at the path of its derived discovery key', () => {
    const masterKey = Buffer.alloc(32, 0x42)
    const expected = CORES.map(({ name, key }) => {
      const derived = deriveCoreKeys(masterKey, name)
      expect(derived.publicKey.toString('hex')).toBe(key)
      return coreStorageRoot(derived.discoveryKey)
    })
    expect(listCoreFolders(dir)).toEqual(expected.sort())
  })

  it('loads every core by discovery key alone: stored key, and writable via its name file', async () => {
    const storage = toStorageFunction(dir)
    const masterKey = await loadMasterKey(storage)
    const before = digestTree(dir)
    for (const folder of listCoreFolders(dir)) {
      const discoveryKey = Buffer.from(folder.slice(6), 'hex')
      const keys = await loadCoreKeys((name) => storage(`${folder}/${name}`), masterKey, {
        discoveryKey,
        publicKey: null,
        secretKey: null,
        name: null,
      })
      expect(coreDiscoveryKey(keys.publicKey).equals(discoveryKey)).toBe(true)
      expect(keys.publicKey.equals(readFileSync(join(dir, folder, 'key')))).toBe(true)
      const core = CORES.find((c) => c.key === keys.publicKey.toString('hex'))
      expect(core).toBeDefined()
      const derived = deriveCoreKeys(masterKey, core?.name ?? '')
      expect(keys.secretKey?.toString('hex')).toBe(derived.secretKey.toString('hex'))
    }
    // Loading keys never rewrites a stored core.
    expect(digestTree(dir)).toEqual(before)
  })

  it("opens the drives' cores through Corestore with the lengths and blocks the originals wrote", async () => {
    const store = new Corestore(dir)
    await store.ready()
    try {
      const metadataA = store.default()
      await metadataA.ready()
      expect(metadataA.key?.toString('hex')).toBe(CORES[0].key)
      expect(metadataA.writable).toBe(true)
      expect(metadataA.length).toBe(16)

      const metadataB = store.namespace('b').default()
      await metadataB.ready()
      expect(metadataB.key?.toString('hex')).toBe(CORES[2].key)
      expect(metadataB.length).toBe(5)

      // Content cores are reopened by key, as hyperdrive does; their name files make them writable.
      const contentA = store.get({ key: CORES[1].key })
      await contentA.ready()
      expect(contentA.writable).toBe(true)
      expect(contentA.length).toBe(8)
      const sizes: number[] = []
      for (let i = 0; i < 8; i++) sizes.push(((await contentA.get(i)) as Buffer).byteLength)
      expect(sizes).toEqual([5, 100000, 0, 524288, 75712, 5, 14, 9])
      expect(((await contentA.get(0)) as Buffer).toString()).toBe('world')
      expect(contentA.byteLength).toBe(700033)

      const contentB = store.get({ key: Buffer.from(CORES[3].key, 'hex') })
      await contentB.ready()
      expect(contentB.writable).toBe(true)
      expect(((await contentB.get(0)) as Buffer).toString()).toBe('hello from b')
      expect(await contentA.audit()).toEqual({ valid: 8, invalid: 0 })
    } finally {
      await store.close()
    }
  })
})
