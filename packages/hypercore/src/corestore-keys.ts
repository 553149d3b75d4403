// Corestore key derivation: named cores get Ed25519 key pairs seeded from the store's master key,
// exactly as corestore@5 (derive-key@1 + hypercore-crypto@2) computes them.
import { sodium } from './commonjs.js'

/** derive-key's namespace for every corestore@5 core. */
export const CORESTORE_NAMESPACE = 'corestore'
/** Joins nested namespace names, as corestore@5 does (`outer:inner`). */
export const NAMESPACE_SEPARATOR = ':'
/** The name the root store's `default()` core is derived from. */
export const DEFAULT_NAME = 'default'
export const MASTER_KEY_BYTES = 32

const DISCOVERY_KEY_MESSAGE = Buffer.from('hypercore')

// derive-key@1 prefixes the input with "<byteLength(ns)>\n<ns>" (ASCII) before keyed BLAKE2b-256.
const DERIVATION_PREFIX = Buffer.from(
  `${Buffer.byteLength(CORESTORE_NAMESPACE, 'ascii')}\n${CORESTORE_NAMESPACE}`,
  'ascii',
)

export interface CoreKeyPair {
  publicKey: Buffer
  secretKey: Buffer
}

export interface DerivedCoreKeys extends CoreKeyPair {
  /** The name bytes the pair was derived from (stored in the core's `name` file). */
  name: Buffer
  discoveryKey: Buffer
}

/** A name as corestore@5 turns it into bytes: strings are UTF-8, bytes are used as they are. */
export function nameToBytes(name: string | Uint8Array): Buffer {
  if (typeof name === 'string') return Buffer.from(name, 'utf-8')
  return Buffer.from(name.buffer, name.byteOffset, name.byteLength)
}

/** seed = BLAKE2b-256(key = masterKey, "9\ncorestore" || name). */
export function deriveCoreSeed(masterKey: Uint8Array, name: string | Uint8Array): Buffer {
  const seed = Buffer.alloc(32)
  sodium.crypto_generichash_batch(seed, [DERIVATION_PREFIX, nameToBytes(name)], masterKey)
  return seed
}

/** The Ed25519 key pair whose seed is `seed` (secretKey = seed || publicKey, as libsodium). */
export function keyPairFromSeed(seed: Uint8Array): CoreKeyPair {
  const publicKey = Buffer.alloc(sodium.crypto_sign_PUBLICKEYBYTES)
  const secretKey = Buffer.alloc(sodium.crypto_sign_SECRETKEYBYTES)
  sodium.crypto_sign_seed_keypair(publicKey, secretKey, seed)
  return { publicKey, secretKey }
}

/** A hypercore's discovery key: BLAKE2b-256(key = publicKey, "hypercore"). */
export function coreDiscoveryKey(publicKey: Uint8Array): Buffer {
  const out = Buffer.alloc(32)
  sodium.crypto_generichash(out, DISCOVERY_KEY_MESSAGE, publicKey)
  return out
}

/** The key pair and discovery key corestore@5 gives the core named `name` under `masterKey`. */
export function deriveCoreKeys(masterKey: Uint8Array, name: string | Uint8Array): DerivedCoreKeys {
  const nameBytes = nameToBytes(name)
  const { publicKey, secretKey } = keyPairFromSeed(deriveCoreSeed(masterKey, nameBytes))
  return { name: nameBytes, publicKey, secretKey, discoveryKey: coreDiscoveryKey(publicKey) }
}

export function randomBytes(size: number): Buffer {
  const buf = Buffer.alloc(size)
  sodium.randombytes_buf(buf)
  return buf
}

/**
 * The name a `namespace(name)` call gives the new store, as corestore@5: no name (or "") is 32
 * random bytes in hex, a byte name is hex-encoded, and inside a namespaced store both names are
 * joined with ":". `parentName` is null for the root store.
 */
export function namespaceName(
  parentName: string | null,
  name: string | Uint8Array | null | undefined,
): string {
  let own: string
  if (name === undefined || name === null || name === '') own = randomBytes(32).toString('hex')
  else if (typeof name === 'string') own = name
  else own = nameToBytes(name).toString('hex')
  return parentName === null ? own : parentName + NAMESPACE_SEPARATOR + own
}
