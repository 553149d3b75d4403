import type { RandomAccessStorage } from 'random-access-memory'
// Corestore's storage: the store's folder or storage function, the master key file, and the
// loading of one core's key pair from its `key`, `name` and `secret_key` files the way
// corestore@5's derived-key-storage@2 does it.
import { RandomAccessFile, RandomAccessMemory } from './commonjs.js'
import {
  InvalidStorageError,
  StoredNameMismatchError,
  UnknownKeyPairError,
} from './corestore-errors.js'
import { MASTER_KEY_BYTES, deriveCoreKeys, randomBytes } from './corestore-keys.js'
import {
  KEY_BYTES,
  MASTER_KEY_FILENAME,
  decodeNameFile,
  encodeNameFile,
  toHex,
} from './corestore-layout.js'

/** Opens the random-access storage for a path inside the store (e.g. `ab/cd/<dk>/tree`). */
export type CorestoreStorageFunction = (name: string) => RandomAccessStorage

const SECRET_KEY_BYTES = 64

/** A folder path becomes random-access-file storage rooted there; a function is used as is. */
export function toStorageFunction(storage: unknown): CorestoreStorageFunction {
  if (typeof storage === 'string') return folderStorage(storage)
  if (typeof storage === 'function') return storage as CorestoreStorageFunction
  throw new InvalidStorageError(storage === null ? 'null' : typeof storage)
}

function folderStorage(directory: string): CorestoreStorageFunction {
  // hypercore@9's default storage locks the bitfield so two processes cannot open one core.
  return (name) => new RandomAccessFile(name, { directory, lock: name.endsWith('/bitfield') })
}

export function readStorage(storage: RandomAccessStorage, offset: number, size: number) {
  return new Promise<Buffer>((resolve, reject) => {
    storage.read(offset, size, (err, data) => (err || !data ? reject(err) : resolve(data)))
  })
}

export function writeStorage(storage: RandomAccessStorage, offset: number, data: Buffer) {
  return new Promise<void>((resolve, reject) => {
    storage.write(offset, data, (err) => (err ? reject(err) : resolve()))
  })
}

/** The storage's size, or -1 when it does not exist yet (ENOENT). */
export function storageSize(storage: RandomAccessStorage) {
  return new Promise<number>((resolve, reject) => {
    storage.stat((err, st) => {
      if (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') resolve(-1)
        else reject(err)
        return
      }
      resolve(st ? st.size : 0)
    })
  })
}

export function closeStorage(storage: RandomAccessStorage) {
  return new Promise<void>((resolve, reject) => {
    storage.close((err) => (err ? reject(err) : resolve()))
  })
}

/** Reads `size` bytes at 0, or null when the storage is missing or shorter. */
async function readOptional(storage: RandomAccessStorage, size: number): Promise<Buffer | null> {
  try {
    const data = await readStorage(storage, 0, size)
    return data.byteLength === size ? data : null
  } catch {
    return null
  }
}

/**
 * The store's master key: the first 32 bytes of `master_key`, or 32 fresh random bytes written
 * there when the file is missing or shorter (corestore@5).
 */
export async function loadMasterKey(storage: CorestoreStorageFunction): Promise<Buffer> {
  const file = storage(MASTER_KEY_FILENAME)
  try {
    const size = await storageSize(file)
    if (size >= MASTER_KEY_BYTES) return await readStorage(file, 0, MASTER_KEY_BYTES)
    const masterKey = randomBytes(MASTER_KEY_BYTES)
    await writeStorage(file, 0, masterKey)
    return masterKey
  } finally {
    await closeStorage(file)
  }
}

/** What `get()` knows about a core before its files are read. */
export interface RequestedCoreKeys {
  discoveryKey: Buffer
  publicKey: Buffer | null
  secretKey: Buffer | null
  /** Set when the key pair was derived from a name (the name to store). */
  name: Buffer | null
}

export interface LoadedCoreKeys {
  publicKey: Buffer
  secretKey: Buffer | null
}

/**
 * Loads (or, on first open, stores) a core's keys from its folder, as derived-key-storage@2:
 * - `key` present: a valid `name` file re-derives the key pair from the master key (so a core
 *   first made from a name is writable again when reopened by key or discovery key); otherwise
 *   `secret_key` if present; otherwise read-only.
 * - `key` missing: store `key` plus `name` (derived pair) or `secret_key` (explicit key pair);
 *   a core known only by public key stores just `key`; one known only by discovery key fails.
 */
export async function loadCoreKeys(
  openFile: (name: string) => RandomAccessStorage,
  masterKey: Buffer,
  requested: RequestedCoreKeys,
): Promise<LoadedCoreKeys> {
  const keyFile = openFile('key')
  try {
    const storedKey = await readOptional(keyFile, KEY_BYTES)
    if (storedKey === null) return await storeNewKeys(keyFile, openFile, requested)

    const name = await readStoredName(openFile)
    if (name !== null) {
      const derived = deriveCoreKeys(masterKey, name)
      if (!derived.discoveryKey.equals(requested.discoveryKey)) {
        throw new StoredNameMismatchError(
          toHex(requested.discoveryKey),
          toHex(derived.discoveryKey),
        )
      }
      return { publicKey: derived.publicKey, secretKey: derived.secretKey }
    }

    const secretFile = openFile('secret_key')
    try {
      const secretKey = await readOptional(secretFile, SECRET_KEY_BYTES)
      if (secretKey !== null) return { publicKey: storedKey, secretKey }
    } finally {
      await closeStorage(secretFile)
    }
    // Beyond corestore@5: a caller who passes the key pair gets a writable core even when the
    // folder was first created from the public key alone.
    const given =
      requested.secretKey !== null && requested.publicKey?.equals(storedKey)
        ? requested.secretKey
        : null
    return { publicKey: storedKey, secretKey: given }
  } finally {
    await closeStorage(keyFile)
  }
}

async function storeNewKeys(
  keyFile: RandomAccessStorage,
  openFile: (name: string) => RandomAccessStorage,
  requested: RequestedCoreKeys,
): Promise<LoadedCoreKeys> {
  const { publicKey, secretKey, name } = requested
  if (publicKey === null) throw new UnknownKeyPairError(toHex(requested.discoveryKey))
  await writeStorage(keyFile, 0, publicKey)
  if (name !== null) {
    await writeWhole(openFile('name'), encodeNameFile(name))
  } else if (secretKey !== null) {
    await writeWhole(openFile('secret_key'), secretKey)
  }
  return { publicKey, secretKey }
}

async function writeWhole(file: RandomAccessStorage, data: Buffer) {
  try {
    await writeStorage(file, 0, data)
  } finally {
    await closeStorage(file)
  }
}

async function readStoredName(openFile: (name: string) => RandomAccessStorage) {
  const nameFile = openFile('name')
  try {
    const size = await storageSize(nameFile).catch(() => -1)
    // A name file is at least varint(len) + 1 byte; anything shorter is ignored as the original.
    if (size < 2) return null
    const buf = await readOptional(nameFile, size)
    return buf === null ? null : decodeNameFile(buf)
  } finally {
    await closeStorage(nameFile)
  }
}

/** Whether a core folder holds a readable 32-byte `key` (corestore@5's `_checkIfExists`). */
export async function coreKeyExists(openFile: (name: string) => RandomAccessStorage) {
  const keyFile = openFile('key')
  try {
    return (await readOptional(keyFile, KEY_BYTES)) !== null
  } finally {
    await closeStorage(keyFile).catch(() => {})
  }
}

/** A read-write in-memory file holding `data` (nothing when null). */
export function memoryFile(data: Buffer | null): RandomAccessStorage {
  // Seeded with a copy of the bytes, so the file's page is their size (not a fresh 1 MiB page).
  return data === null ? new RandomAccessMemory() : new RandomAccessMemory(Buffer.from(data))
}
