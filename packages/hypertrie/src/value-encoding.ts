// Value codecs applied by the trie object (never stored): binary, utf-8, json or a custom codec,
// the subset of the `codecs` module hypertrie@5 accepts.
import { InvalidArgumentError } from './errors.js'

export interface ValueCodec<T = unknown> {
  encode(value: T): Uint8Array
  decode(buf: Buffer): T
}

export type ValueEncodingOption = 'binary' | 'utf-8' | 'utf8' | 'json' | ValueCodec

const binary: ValueCodec<Buffer> = {
  encode: (v) => (typeof v === 'string' ? Buffer.from(v) : v),
  decode: (b) => b,
}
const utf8: ValueCodec<string> = {
  encode: (v) => Buffer.from(v, 'utf-8'),
  decode: (b) => b.toString('utf-8'),
}
const json: ValueCodec<unknown> = {
  encode: (v) => Buffer.from(JSON.stringify(v)),
  decode: (b) => JSON.parse(b.toString('utf-8')),
}

export function resolveValueEncoding(
  enc: ValueEncodingOption | null | undefined,
): ValueCodec | null {
  if (enc === null || enc === undefined || enc === 'binary') return null
  if (enc === 'utf-8' || enc === 'utf8') return utf8 as ValueCodec
  if (enc === 'json') return json
  if (
    typeof enc === 'object' &&
    typeof enc.encode === 'function' &&
    typeof enc.decode === 'function'
  )
    return enc
  throw new InvalidArgumentError(`unknown valueEncoding ${String(enc)}`)
}

/** Encodes a value for storage; without a codec, strings become UTF-8 as protobuf bytes do. */
export function encodeValue(codec: ValueCodec | null, value: unknown): Buffer {
  if (codec) return toBuffer(codec.encode(value))
  if (typeof value === 'string') return Buffer.from(value, 'utf-8')
  if (value instanceof Uint8Array) return toBuffer(value)
  throw new InvalidArgumentError('a binary trie takes Uint8Array or string values')
}

export function decodeValue(codec: ValueCodec | null, buf: Buffer): unknown {
  return codec ? codec.decode(buf) : buf
}

function toBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength)
}

export { binary as BINARY_CODEC }
