// Corestore's master key file and per-core key files, on in-memory storage.
import RandomAccessMemory from 'random-access-memory'
import { describe, expect, it } from 'vitest'
import { coreDiscoveryKey, deriveCoreKeys, keyPairFromSeed } from '../src/corestore-keys.js'
import { coreStorageRoot } from '../src/corestore-layout.js'
import {
  type CorestoreStorageFunction,
  closeStorage,
  loadCoreKeys,
  loadMasterKey,
  readStorage,
  storageSize,
  writeStorage,
} from '../src/corestore-storage.js'

const hex = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('hex'))

async function readFile(storage: CorestoreStorageFunction, name: string): Promise<Buffer | null> {
  const file = storage(name)
  try {
    const size = await storageSize(file)
    return size <= 0 ? null : await readStorage(file, 0, size)
  } finally {
    await closeStorage(file)
  }
}

async function writeFile(storage: CorestoreStorageFunction, name: string, data: Buffer) {
  const file = storage(name)
  await writeStorage(file, 0, data)
  await closeStorage(file)
}

describe('master key', () => {
  it('creates and stores 32 random bytes when missing, then reads them back', async () => {
    const storage = RandomAccessMemory.reusable()
    const first = await loadMasterKey(storage)
    expect(first.byteLength).toBe(32)
    expect(hex(await readFile(storage, 'master_key'))).toBe(hex(first))
    expect(hex(await loadMasterKey(storage))).toBe(hex(first))
  })

  it('uses the first 32 bytes of a longer file and replaces a shorter one', async () => {
    const storage = RandomAccessMemory.reusable()
    const long = Buffer.alloc(40, 7)
    await writeFile(storage, 'master_key', long)
    expect(hex(await loadMasterKey(storage))).toBe(hex(Buffer.alloc(32, 7)))

    const other = RandomAccessMemory.reusable()
    await writeFile(other, 'master_key', Buffer.alloc(31, 7))
    const regenerated = await loadMasterKey(other)
    expect(hex(regenerated)).not.toBe(hex(Buffer.alloc(32, 7)))
    expect(hex((await readFile(other, 'master_key'))?.subarray(0, 32) ?? null)).toBe(
      hex(regenerated),
    )
  })
})

describe('core keys', () => {
  const masterKey = Buffer.alloc(32, 0x42)
  const named = deriveCoreKeys(masterKey, 'default')

  function coreFiles(storage: CorestoreStorageFunction, discoveryKey: Buffer) {
    const root = coreStorageRoot(discoveryKey)
    return (name: string) => storage(`${root}/${name}`)
  }

  it('stores key + name for a derived core and re-derives from the name on reopen', async () => {
    const storage = RandomAccessMemory.reusable()
    const files = coreFiles(storage, named.discoveryKey)
    const loaded = await loadCoreKeys(files, masterKey, { ...named })
    expect(hex(loaded.publicKey)).toBe(hex(named.publicKey))
    expect(hex(loaded.secretKey)).toBe(hex(named.secretKey))
    const root = coreStorageRoot(named.discoveryKey)
    expect(hex(await readFile(storage, `${root}/key`))).toBe(hex(named.publicKey))
    expect(hex(await readFile(storage, `${root}/name`))).toBe('0764656661756c74')
    expect(await readFile(storage, `${root}/secret_key`)).toBeNull()

    // Reopened by discovery key alone: writable again through the name file.
    const byDiscoveryKey = await loadCoreKeys(files, masterKey, {
      discoveryKey: named.discoveryKey,
      publicKey: null,
      secretKey: null,
      name: null,
    })
    expect(hex(byDiscoveryKey.publicKey)).toBe(hex(named.publicKey))
    expect(hex(byDiscoveryKey.secretKey)).toBe(hex(named.secretKey))
  })

  it('stores key + secret_key for an explicit key pair', async () => {
    const storage = RandomAccessMemory.reusable()
    const pair = keyPairFromSeed(Buffer.alloc(32, 9))
    const discoveryKey = coreDiscoveryKey(pair.publicKey)
    const files = coreFiles(storage, discoveryKey)
    await loadCoreKeys(files, masterKey, { ...pair, discoveryKey, name: null })
    const root = coreStorageRoot(discoveryKey)
    expect(hex(await readFile(storage, `${root}/secret_key`))).toBe(hex(pair.secretKey))
    expect(await readFile(storage, `${root}/name`)).toBeNull()
    const reopened = await loadCoreKeys(files, masterKey, {
      discoveryKey,
      publicKey: pair.publicKey,
      secretKey: null,
      name: null,
    })
    expect(hex(reopened.secretKey)).toBe(hex(pair.secretKey))
  })

  it('stores only key for a core known by public key; it stays read-only', async () => {
    const storage = RandomAccessMemory.reusable()
    const pair = keyPairFromSeed(Buffer.alloc(32, 3))
    const discoveryKey = coreDiscoveryKey(pair.publicKey)
    const files = coreFiles(storage, discoveryKey)
    const request = { discoveryKey, publicKey: pair.publicKey, secretKey: null, name: null }
    expect((await loadCoreKeys(files, masterKey, request)).secretKey).toBeNull()
    const root = coreStorageRoot(discoveryKey)
    expect(hex(await readFile(storage, `${root}/key`))).toBe(hex(pair.publicKey))
    expect(await readFile(storage, `${root}/secret_key`)).toBeNull()
    expect(await readFile(storage, `${root}/name`)).toBeNull()
    expect((await loadCoreKeys(files, masterKey, request)).secretKey).toBeNull()
  })

  it('fails with ERR_UNKNOWN_KEY_PAIR for a discovery key with nothing stored', async () => {
    const storage = RandomAccessMemory.reusable()
    const discoveryKey = Buffer.alloc(32, 1)
    const request = { discoveryKey, publicKey: null, secretKey: null, name: null }
    await expect(
      loadCoreKeys(coreFiles(storage, discoveryKey), masterKey, request),
    ).rejects.toThrow(expect.objectContaining({ code: 'ERR_UNKNOWN_KEY_PAIR' }))
  })

  it('refuses a name file that derives another discovery key', async () => {
    const storage = RandomAccessMemory.reusable()
    const other = deriveCoreKeys(masterKey, 'another')
    const files = coreFiles(storage, named.discoveryKey)
    await loadCoreKeys(files, masterKey, { ...named })
    const root = coreStorageRoot(named.discoveryKey)
    await writeFile(storage, `${root}/name`, Buffer.from('07616e6f74686572', 'hex'))
    const request = {
      discoveryKey: named.discoveryKey,
      publicKey: null,
      secretKey: null,
      name: null,
    }
    await expect(loadCoreKeys(files, masterKey, request)).rejects.toThrow(
      expect.objectContaining({ code: 'ERR_STORED_NAME_MISMATCH' }),
    )
    expect(hex(other.discoveryKey)).not.toBe(hex(named.discoveryKey))
  })

  it('treats a malformed name file as absent (read-only core)', async () => {
    const storage = RandomAccessMemory.reusable()
    const files = coreFiles(storage, named.discoveryKey)
    const root = coreStorageRoot(named.discoveryKey)
    await writeFile(storage, `${root}/key`, named.publicKey)
    await writeFile(storage, `${root}/name`, Buffer.from('09646566', 'hex'))
    const request = {
      discoveryKey: named.discoveryKey,
      publicKey: null,
      secretKey: null,
      name: null,
    }
    const loaded = await loadCoreKeys(files, masterKey, request)
    expect(hex(loaded.publicKey)).toBe(hex(named.publicKey))
    expect(loaded.secretKey).toBeNull()
  })
})
