// Hashes, signatures and keys of hypercore@9 (hypercore-crypto@2): BLAKE2b-256 with type prefixes, Ed25519.
import { sodium } from './commonjs.js'

/** One merkle tree node: its flat-tree index, BLAKE2b-256 hash and the data bytes under it. */
export interface TreeNode {
  index: number
  hash: Buffer
  size: number
}

export interface KeyPair {
  publicKey: Buffer
  secretKey: Buffer
}

const LEAF_TYPE = 0
const PARENT_TYPE = 1
const ROOT_TYPE = 2
const HYPERCORE = Buffer.from('hypercore')

// Reused scratch header (type byte + u64be size) so hashing a leaf allocates only its output.
const header = Buffer.alloc(9)

function writeU64(buf: Buffer, n: number, offset: number): void {
  const hi = Math.floor(n / 0x100000000)
  buf.writeUInt32BE(hi, offset)
  buf.writeUInt32BE(n - hi * 0x100000000, offset + 4)
}

/** Reads a u64 big-endian integer (exact up to 2^53). */
export function readU64(buf: Uint8Array, offset: number): number {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength)
  return b.readUInt32BE(offset) * 0x100000000 + b.readUInt32BE(offset + 4)
}

export { writeU64 }

/** Leaf hash of a block: BLAKE2b-256(0x00 ‖ u64be(len) ‖ data). */
export function leafHash(data: Uint8Array, out: Buffer = Buffer.allocUnsafe(32)): Buffer {
  header[0] = LEAF_TYPE
  writeU64(header, data.byteLength, 1)
  sodium.crypto_generichash_batch(out, [header, data])
  return out
}

/** Parent hash of two siblings (a has the lower index): BLAKE2b-256(0x01 ‖ u64be(size) ‖ a ‖ b). */
export function parentHash(a: TreeNode, b: TreeNode, out: Buffer = Buffer.allocUnsafe(32)): Buffer {
  const left = a.index < b.index ? a : b
  const right = left === a ? b : a
  header[0] = PARENT_TYPE
  writeU64(header, a.size + b.size, 1)
  sodium.crypto_generichash_batch(out, [header, left.hash, right.hash])
  return out
}

// Reused scratch for treeHash's input: a core has at most 53 roots (lengths below 2^53), and a
// fresh buffer per signed append kept Node's buffer pool allocating new (slow to fault) pages.
const MAX_ROOTS = 64
const rootsScratch = Buffer.alloc(1 + 48 * MAX_ROOTS)

/** The tree hash of a list of roots: BLAKE2b-256(0x02 ‖ (hash ‖ u64be(index) ‖ u64be(size))*). */
export function treeHash(roots: readonly TreeNode[], out: Buffer = Buffer.allocUnsafe(32)): Buffer {
  const size = 1 + 48 * roots.length
  const buf = roots.length <= MAX_ROOTS ? rootsScratch.subarray(0, size) : Buffer.allocUnsafe(size)
  buf[0] = ROOT_TYPE
  let offset = 1
  for (const root of roots) {
    root.hash.copy(buf, offset)
    writeU64(buf, root.index, offset + 32)
    writeU64(buf, root.size, offset + 40)
    offset += 48
  }
  sodium.crypto_generichash(out, buf)
  return out
}

/** The 40 bytes a writer signs for `length`: treeHash(roots) ‖ u64be(length). */
export function signable(roots: readonly TreeNode[], length: number): Buffer {
  const out = Buffer.allocUnsafe(40)
  treeHash(roots, out.subarray(0, 32))
  writeU64(out, length, 32)
  return out
}

export function keyPair(seed?: Uint8Array): KeyPair {
  const publicKey = Buffer.allocUnsafe(32)
  const secretKey = Buffer.allocUnsafe(64)
  if (seed) sodium.crypto_sign_seed_keypair(publicKey, secretKey, seed)
  else sodium.crypto_sign_keypair(publicKey, secretKey)
  return { publicKey, secretKey }
}

export function sign(
  message: Uint8Array,
  secretKey: Uint8Array,
  out: Buffer = Buffer.allocUnsafe(64),
): Buffer {
  sodium.crypto_sign_detached(out, message, secretKey)
  return out
}

export function verify(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.byteLength !== 64 || publicKey.byteLength !== 32) return false
  return sodium.crypto_sign_verify_detached(signature, message, publicKey)
}

/**
 * Verifies a signature over a signable the way hypercore@9 does: the 40-byte signable first,
 * then (older cores) the bare 32-byte tree hash.
 */
export function verifySignable(
  signableBytes: Buffer,
  signature: Uint8Array,
  publicKey: Uint8Array,
): boolean {
  if (verify(signableBytes, signature, publicKey)) return true
  return verify(signableBytes.subarray(0, 32), signature, publicKey)
}

/** BLAKE2b-256 keyed by the public key over "hypercore": the topic peers meet on. */
export function discoveryKey(publicKey: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(32)
  sodium.crypto_generichash(out, HYPERCORE, publicKey)
  return out
}

/** True when every byte is zero (an absent tree node or signature slot). */
export function isBlank(buf: Uint8Array): boolean {
  for (let i = 0; i < buf.length; i++) if (buf[i] !== 0) return false
  return true
}
