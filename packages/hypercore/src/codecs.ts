// Value encodings of hypercore@9 (codecs): binary, utf-8 and json, or a custom { encode, decode }.
import { InvalidArgumentError } from './errors.js'

export interface Codec<T = unknown> {
  encode(value: T): Uint8Array
  decode(buf: Buffer): T
}

export type ValueEncoding = 'binary' | 'utf-8' | 'utf8' | 'json' | Codec

const binary: Codec = {
  encode(value) {
    if (typeof value === 'string') return Buffer.from(value)
    if (value instanceof Uint8Array) return value
    throw new InvalidArgumentError(`Expected a Uint8Array or string block, got ${typeof value}`)
  },
  decode: (buf) => buf,
}

const utf8: Codec = {
  encode(value) {
    if (typeof value === 'string') return Buffer.from(value)
    if (value instanceof Uint8Array) return value
    throw new InvalidArgumentError(`Expected a string block, got ${typeof value}`)
  },
  decode: (buf) => buf.toString('utf-8'),
}

const json: Codec = {
  encode: (value) => Buffer.from(JSON.stringify(value)),
  decode: (buf) => JSON.parse(buf.toString('utf-8')) as unknown,
}

export function toCodec(enc: ValueEncoding | undefined): Codec {
  if (enc === undefined || enc === 'binary') return binary
  if (enc === 'utf-8' || enc === 'utf8') return utf8
  if (enc === 'json') return json
  if (
    typeof enc === 'object' &&
    typeof enc.encode === 'function' &&
    typeof enc.decode === 'function'
  )
    return enc
  throw new InvalidArgumentError(`Unknown value encoding ${String(enc)}`)
}

/** Encodes to a Buffer without copying when the input already is one. */
export function encodeBlock(codec: Codec, value: unknown): Buffer {
  const out = codec.encode(value)
  return Buffer.isBuffer(out) ? out : Buffer.from(out.buffer, out.byteOffset, out.byteLength)
}
