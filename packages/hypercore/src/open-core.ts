import { Bitfield } from './bitfield.js'
// Opening a core: its key and secret key resolved against what storage holds (overwrite,
// createIfMissing), crash redo for writers, new keys written and the roots of its length loaded.
import { flat } from './commonjs.js'
import { type TreeNode, discoveryKey, keyPair } from './crypto.js'
import { InvalidArgumentError, KeyMismatchError, NoCoreError } from './errors.js'
import { HYPERCORE_DEFAULTS, type HypercoreOptions } from './options.js'
import {
  type RecoverableCore,
  recoverAppends,
  recoverDataBits,
  recoverSignature,
  recoveryContext,
} from './recovery.js'
import { blocks } from './tree-index.js'

/** The key a core is constructed with and its secret key, from its arguments. */
export interface GivenKeys {
  key: Buffer | null
  secretKey: Buffer | null
}

/**
 * The key (hex string, bytes or `opts.keyPair`) and secret key (`opts.secretKey` or
 * `opts.keyPair`) a core was given; throws ERR_INVALID_ARGUMENT for a key that is not 32 bytes.
 */
export function givenKeys(
  key: Uint8Array | string | null | undefined,
  o: HypercoreOptions,
): GivenKeys {
  let k: Buffer | null = null
  if (typeof key === 'string') k = Buffer.from(key, 'hex')
  else if (key instanceof Uint8Array) k = Buffer.from(key)
  if (!k && o.keyPair) k = Buffer.from(o.keyPair.publicKey)
  if (k && k.length !== 32)
    throw new InvalidArgumentError(`Expected a 32-byte key, got ${k.length} bytes`)
  let sk: Buffer | null = null
  const secret = o.secretKey ?? o.keyPair?.secretKey ?? null
  if (typeof secret === 'string') sk = Buffer.from(secret, 'hex')
  else if (secret) sk = Buffer.from(secret)
  return { key: k, secretKey: sk }
}

/**
 * The part of a core opening resolves. Its key fields and bitfield are set on it as they are
 * resolved: crash redo reads blocks through the core, and a failed open leaves them as they were
 * when it failed.
 */
export interface OpeningCore extends RecoverableCore {
  key: Buffer | null
  secretKey: Buffer | null
  discoveryKey: Buffer | null
  live: boolean
  writable: boolean
  downloading: boolean
  bitfield: Bitfield | null
}

/** What an open core starts from: its length and the roots proving it. */
export interface OpenedCore {
  length: number
  byteLength: number
  roots: TreeNode[]
}

/** Opens the storage of `core` (throws ERR_KEY_MISMATCH, ERR_NO_CORE). */
export async function openCore(core: OpeningCore, o: HypercoreOptions): Promise<OpenedCore> {
  const storage = core.storage
  let overwrite = o.overwrite ?? HYPERCORE_DEFAULTS.overwrite
  const createIfMissing = o.createIfMissing ?? HYPERCORE_DEFAULTS.createIfMissing
  let storeSecretKey = o.storeSecretKey ?? HYPERCORE_DEFAULTS.storeSecretKey
  let generatedKey = false

  const storedKey = await storage.readKey()
  if (storedKey && !overwrite && !core.key) core.key = storedKey
  if (!core.key && core.live) {
    const kp = keyPair()
    core.key = kp.publicKey
    core.secretKey = kp.secretKey
    generatedKey = true
  }
  const state = await storage.open()
  if (!state.key && state.bitfieldPages.length) overwrite = true
  if (overwrite) {
    state.bitfieldPages = []
    state.key = null
    state.secretKey = null
  }
  const bitfield = new Bitfield(state.bitfieldPageSize, state.bitfieldPages)
  core.bitfield = bitfield
  if (state.key && core.key && !state.key.equals(core.key)) {
    await storage.close()
    throw new KeyMismatchError('Another hypercore is stored here')
  }
  if (state.key) core.key = state.key
  if (state.secretKey) core.secretKey = state.secretKey
  if ((generatedKey || !core.key) && !createIfMissing) {
    await storage.close()
    throw new NoCoreError('No hypercore is stored here')
  }
  if (!core.key && core.live) {
    const kp = keyPair()
    core.key = kp.publicKey
    core.secretKey = kp.secretKey
  }
  core.writable = !!core.secretKey || core.key === null
  if (o.downloading === undefined) core.downloading = !core.writable
  core.discoveryKey = core.key ? discoveryKey(core.key) : null
  if (storeSecretKey && !core.secretKey) storeSecretKey = false

  let length = blocks(bitfield)
  if (core.writable && core.secretKey && !overwrite) {
    // Redo after a crash (see recovery.ts).
    const recovery = recoveryContext(core)
    length = await recoverAppends(recovery, length)
    await recoverDataBits(recovery, length)
  }
  if (length > 0) {
    const sig = await storage.getSignature(length - 1)
    if (!sig && core.writable && core.secretKey) {
      // A crash between the bitfield pages of one append can leave the tree bits proving a
      // length in the middle of a batch. Sign it again: Ed25519 is deterministic, so this is the
      // signature the writer would have stored.
      length = await recoverSignature(recoveryContext(core), length)
    } else {
      core.live = !!sig
    }
  }

  const writes: Promise<void>[] = []
  if (generatedKey || !state.key || !state.key.equals(core.key as Buffer)) {
    if (core.key) writes.push(storage.writeKey(core.key))
  }
  if (
    storeSecretKey &&
    core.secretKey &&
    (generatedKey || !state.secretKey || !state.secretKey.equals(core.secretKey))
  ) {
    writes.push(storage.writeSecretKey(core.secretKey))
  }
  if (overwrite) writes.push(storage.clearBitfield())
  await Promise.all(writes)

  let roots: TreeNode[]
  try {
    roots = await storage.getNodes(flat.fullRoots(2 * length))
  } catch {
    // The original retries once with one block less.
    length = Math.max(0, length - 1)
    roots = await storage.getNodes(flat.fullRoots(2 * length))
  }
  return { length, byteLength: roots.reduce((n, r) => n + r.size, 0), roots }
}
