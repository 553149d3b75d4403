// Mutable-record signing of @hyperswarm/hypersign@2: the bencode-like signable
// ("4:salt<n>:<salt>3:seqi<seq>e1:v<n>:<value>") signed with Ed25519, plus key and salt helpers.

import { sodium } from './commonjs.js'
import { InvalidArgumentError } from './errors.js'

/** Largest mutable or immutable value (keeps a record datagram under a 1400-byte MTU). */
export const VALUE_MAX_SIZE = 1000
/** Largest salt hypersign accepts. */
export const SALT_MAX_SIZE = 64

export interface KeyPair {
  publicKey: Buffer
  secretKey: Buffer
}

export interface SignableOptions {
  seq?: number
  salt?: Uint8Array | null
}

/** The bytes a mutable record's signature covers. */
export function signable(value: Uint8Array, opts: SignableOptions = {}): Buffer {
  const seq = opts.seq ?? 0
  const salt = opts.salt
  if (value.length > VALUE_MAX_SIZE) {
    throw new InvalidArgumentError(`Value size must be <= ${VALUE_MAX_SIZE}, got ${value.length}`)
  }
  if (salt && salt.length > SALT_MAX_SIZE) {
    throw new InvalidArgumentError(`salt size must be <= ${SALT_MAX_SIZE}, got ${salt.length}`)
  }
  const tail = [Buffer.from(`3:seqi${seq}e1:v${value.length}:`), value]
  // hypersign tests the salt for truthiness, so an empty (present) salt is still written
  if (salt) {
    return Buffer.concat([Buffer.from(`4:salt${salt.length}:`), salt, ...tail])
  }
  return Buffer.concat(tail)
}

export function keyPair(seed?: Uint8Array): KeyPair {
  const publicKey = Buffer.alloc(sodium.crypto_sign_PUBLICKEYBYTES)
  const secretKey = Buffer.alloc(sodium.crypto_sign_SECRETKEYBYTES)
  if (seed) sodium.crypto_sign_seed_keypair(publicKey, secretKey, seed)
  else sodium.crypto_sign_keypair(publicKey, secretKey)
  return { publicKey, secretKey }
}

export function sign(value: Uint8Array, secretKey: Uint8Array, opts: SignableOptions = {}): Buffer {
  const signature = Buffer.alloc(sodium.crypto_sign_BYTES)
  sodium.crypto_sign_detached(signature, signable(value, opts), secretKey)
  return signature
}

/** Verifies without throwing: wrong sizes are simply not valid. */
export function verify(
  signature: Uint8Array | null | undefined,
  value: Uint8Array | null | undefined,
  publicKey: Uint8Array,
  opts: SignableOptions = {},
): boolean {
  if (!signature || !value) return false
  if (signature.length !== sodium.crypto_sign_BYTES) return false
  if (publicKey.length !== sodium.crypto_sign_PUBLICKEYBYTES) return false
  if (value.length > VALUE_MAX_SIZE) return false
  if (opts.salt && opts.salt.length > SALT_MAX_SIZE) return false
  return sodium.crypto_sign_verify_detached(signature, signable(value, opts), publicKey)
}

/** A salt as hypersign's `salt()`: BLAKE2b(size) of a string, or random; size 16..64. */
export function salt(str?: string | null, size = 32): Buffer {
  if (size < 16 || size > 64) {
    throw new InvalidArgumentError('salt size must be between 16 and 64 bytes (inclusive)')
  }
  const out = Buffer.alloc(size)
  if (typeof str === 'string') sodium.crypto_generichash(out, Buffer.from(str))
  else sodium.randombytes_buf(out)
  return out
}

/** BLAKE2b-256, the immutable-store key of a value. */
export function hashValue(value: Uint8Array): Buffer {
  const out = Buffer.alloc(32)
  sodium.crypto_generichash(out, value)
  return out
}
