// Corestore's on-disk layout (corestore@5 + derived-key-storage@2): where each core lives, the
// `name` file format, and parsing of keys given as bytes or hex.
import { varint } from './commonjs.js'
import { InvalidKeyError } from './corestore-errors.js'

/** File in the storage root holding the 32-byte master key. */
export const MASTER_KEY_FILENAME = 'master_key'
export const KEY_BYTES = 32

/** `<dk[0:2]>/<dk[2:4]>/<dk>`: the folder of the core with this discovery key. */
export function coreStorageRoot(discoveryKey: Uint8Array): string {
  const id = toHex(discoveryKey)
  return `${id.slice(0, 2)}/${id.slice(2, 4)}/${id}`
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

/** The `name` file: varint(byteLength) || name bytes. */
export function encodeNameFile(name: Uint8Array): Buffer {
  const prefix = varint.encodingLength(name.byteLength)
  const buf = Buffer.alloc(prefix + name.byteLength)
  varint.encode(name.byteLength, buf, 0)
  buf.set(name, prefix)
  return buf
}

/**
 * The name stored in a `name` file, or null when the file does not hold exactly one
 * length-prefixed name (derived-key-storage ignores such a file: shorter than 2 bytes, a bad
 * varint, or trailing/missing bytes).
 */
export function decodeNameFile(buf: Uint8Array): Buffer | null {
  if (buf.byteLength < 2) return null
  let len: number
  try {
    len = varint.decode(buf, 0)
  } catch {
    return null
  }
  const offset = varint.decode.bytes
  if (offset === undefined || offset + len !== buf.byteLength) return null
  return Buffer.from(buf.subarray(offset))
}

/**
 * A 32-byte key given as bytes, or as a string holding exactly 64 hex characters in a row (so
 * `dat://<hex>` works), as corestore@5's dat-encoding accepts it.
 */
export function parseKey(key: string | Uint8Array, what = 'key'): Buffer {
  if (typeof key === 'string') {
    const match = /([a-f0-9]{64,65})/i.exec(key)
    if (!match || match[1].length !== 64) {
      throw new InvalidKeyError(what, `a string of ${key.length} characters`)
    }
    return Buffer.from(match[1], 'hex')
  }
  if (!(key instanceof Uint8Array) || key.byteLength !== KEY_BYTES) {
    throw new InvalidKeyError(what, describe(key))
  }
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength)
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return `${value.byteLength} bytes`
  return typeof value
}
