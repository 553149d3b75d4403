// Minimal proto2 reader/writer as protocol-buffers@4 lays fields out (ascending field numbers,
// varints for integers, length-prefixed bytes and strings). Decoding is total: bad input throws
// DecodeError, never a RangeError or a hang.
import { DecodeError } from '../errors.js'

export const WIRE_VARINT = 0
export const WIRE_64 = 1
export const WIRE_BYTES = 2
export const WIRE_32 = 5

export function varintLength(n: number): number {
  let len = 1
  while (n >= 128) {
    n = Math.floor(n / 128)
    len++
  }
  return len
}

/** Writes `n` as a varint at `at`; returns the offset after it. */
export function writeVarint(buf: Uint8Array, at: number, n: number): number {
  while (n >= 128) {
    buf[at++] = (n & 127) | 128
    n = Math.floor(n / 128)
  }
  buf[at++] = n
  return at
}

/** Writes into a preallocated buffer; callers size it with the *Length helpers. */
export class ProtoWriter {
  readonly buf: Buffer
  offset = 0
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size)
  }

  varint(n: number): void {
    this.offset = writeVarint(this.buf, this.offset, n)
  }

  tag(field: number, wire: number): void {
    this.varint(field * 8 + wire)
  }

  bytes(field: number, value: Uint8Array): void {
    this.tag(field, WIRE_BYTES)
    this.varint(value.length)
    this.buf.set(value, this.offset)
    this.offset += value.length
  }

  string(field: number, value: Buffer): void {
    this.bytes(field, value)
  }

  /** A string field of `byteLength` UTF-8 bytes, written without an intermediate Buffer. */
  utf8(field: number, value: string, byteLength: number): void {
    this.tag(field, WIRE_BYTES)
    this.varint(byteLength)
    this.offset += this.buf.write(value, this.offset, byteLength, 'utf-8')
  }

  /** A bytes field held as a latin1 string (one char per byte). */
  latin1(field: number, value: string): void {
    this.tag(field, WIRE_BYTES)
    this.varint(value.length)
    this.offset += this.buf.write(value, this.offset, value.length, 'latin1')
  }

  uint(field: number, value: number): void {
    this.tag(field, WIRE_VARINT)
    this.varint(value)
  }

  finish(): Buffer {
    return this.offset === this.buf.length ? this.buf : this.buf.subarray(0, this.offset)
  }
}

export function bytesFieldLength(field: number, len: number): number {
  return varintLength(field * 8) + varintLength(len) + len
}

export function uintFieldLength(field: number, value: number): number {
  return varintLength(field * 8) + varintLength(value)
}

/** Sequential reader over one message (or one embedded message). */
export class ProtoReader {
  buf: Uint8Array
  offset: number
  end: number

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = buf
    this.offset = start
    this.end = end
  }

  /** Points this reader at another message (hot decoders reuse one reader). */
  reset(buf: Uint8Array, start: number, end: number): void {
    this.buf = buf
    this.offset = start
    this.end = end
  }

  /** The next tag as field * 8 + wire type (tag() without its pair). */
  rawTag(): number {
    const t = this.varint()
    if (t < 8) throw new DecodeError('field number 0')
    return t
  }

  /** Skips a length-delimited field's body; returns where it starts (it ends at `offset`). */
  span(): number {
    const len = this.varint()
    const start = this.offset
    if (len > this.end - start) throw new DecodeError('length-delimited field runs past the end')
    this.offset = start + len
    return start
  }

  get done(): boolean {
    return this.offset >= this.end
  }

  varint(): number {
    const buf = this.buf
    let result = 0
    let mul = 1
    for (let i = 0; i < 8; i++) {
      if (this.offset >= this.end) throw new DecodeError('truncated varint')
      const b = buf[this.offset++]
      result += (b & 127) * mul
      if (b < 128) {
        if (result > Number.MAX_SAFE_INTEGER) throw new DecodeError('varint exceeds 2^53')
        return result
      }
      mul *= 128
    }
    // protobuf allows 10-byte varints; values past 2^53 are not representable, so refuse them
    throw new DecodeError('varint too long')
  }

  /** Returns [field, wireType]. */
  tag(): [number, number] {
    const t = this.varint()
    const field = Math.floor(t / 8)
    if (field === 0) throw new DecodeError('field number 0')
    return [field, t & 7]
  }

  bytes(): Buffer {
    const len = this.varint()
    const start = this.offset
    if (len > this.end - start) throw new DecodeError('length-delimited field runs past the end')
    this.offset = start + len
    return Buffer.from(this.buf.buffer, this.buf.byteOffset + start, len)
  }

  string(): string {
    const len = this.varint()
    const start = this.offset
    if (len > this.end - start) throw new DecodeError('string field runs past the end')
    this.offset = start + len
    const buf = this.buf
    // decode straight from a Buffer without making a view of it first
    return Buffer.isBuffer(buf)
      ? buf.toString('utf-8', start, start + len)
      : Buffer.from(buf.buffer, buf.byteOffset + start, len).toString('utf-8')
  }

  /** Sub-reader over a length-delimited embedded message. */
  message(): ProtoReader {
    const len = this.varint()
    const start = this.offset
    if (len > this.end - start) throw new DecodeError('embedded message runs past the end')
    this.offset = start + len
    return new ProtoReader(this.buf, start, start + len)
  }

  expectWire(wire: number, expected: number, field: string): void {
    if (wire !== expected) throw new DecodeError(`field ${field} has wire type ${wire}`)
  }

  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT:
        this.varint()
        return
      case WIRE_64:
        this.advance(8)
        return
      case WIRE_BYTES:
        this.advance(this.varint())
        return
      case WIRE_32:
        this.advance(4)
        return
      default:
        throw new DecodeError(`unsupported wire type ${wire}`)
    }
  }

  private advance(n: number): void {
    if (n > this.end - this.offset) throw new DecodeError('field runs past the end')
    this.offset += n
  }
}
