// Minimal proto2 primitives shared by the message codecs: varints, length-delimited fields and a
// bounds-checked reader that throws DecodeError (never RangeError) on hostile bytes.

import { DecodeError } from '../errors.js'

export const WIRE_VARINT = 0
export const WIRE_BYTES = 2

/** Bytes a varint of the non-negative safe integer `n` takes. */
export function varintLength(n: number): number {
  let len = 1
  while (n >= 128) {
    n = Math.floor(n / 128)
    len++
  }
  return len
}

export function writeVarint(buf: Uint8Array, offset: number, n: number): number {
  while (n >= 128) {
    buf[offset++] = (n % 128) | 128
    n = Math.floor(n / 128)
  }
  buf[offset++] = n
  return offset
}

/** Bytes of a length-delimited field (tag + length + payload). */
export function bytesFieldLength(tagLen: number, len: number): number {
  return tagLen + varintLength(len) + len
}

export function writeBytesField(
  buf: Uint8Array,
  offset: number,
  tag: number,
  value: Uint8Array,
): number {
  offset = writeVarint(buf, offset, tag)
  offset = writeVarint(buf, offset, value.length)
  buf.set(value, offset)
  return offset + value.length
}

export function writeVarintField(buf: Uint8Array, offset: number, tag: number, n: number): number {
  offset = writeVarint(buf, offset, tag)
  return writeVarint(buf, offset, n)
}

/** Reads fields one by one; every read is bounds-checked. */
export class ProtoReader {
  readonly buf: Uint8Array
  pos = 0

  constructor(buf: Uint8Array) {
    this.buf = buf
  }

  get done(): boolean {
    return this.pos >= this.buf.length
  }

  /** A varint as a number; values above 2^53 are refused rather than silently rounded. */
  varint(): number {
    const buf = this.buf
    let result = 0
    let mul = 1
    for (let i = 0; i < 10; i++) {
      if (this.pos >= buf.length) throw new DecodeError('truncated varint')
      const b = buf[this.pos++]
      result += (b & 127) * mul
      if (b < 128) {
        if (result > Number.MAX_SAFE_INTEGER) throw new DecodeError('varint above 2^53')
        return result
      }
      mul *= 128
    }
    throw new DecodeError('varint longer than 10 bytes')
  }

  /** A length-delimited payload as a copy (so decoded fields do not pin the datagram). */
  bytes(): Buffer {
    const len = this.varint()
    const end = this.pos + len
    if (end > this.buf.length) throw new DecodeError(`field of ${len} bytes overruns the message`)
    const out = Buffer.from(this.buf.subarray(this.pos, end))
    this.pos = end
    return out
  }

  string(): string {
    const len = this.varint()
    const end = this.pos + len
    if (end > this.buf.length) throw new DecodeError(`field of ${len} bytes overruns the message`)
    const out = Buffer.from(this.buf.buffer, this.buf.byteOffset + this.pos, len).toString('utf8')
    this.pos = end
    return out
  }

  /** Skips an unknown field by wire type, as protocol-buffers does; groups are refused. */
  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint()
        return
      case 1:
        this.advance(8)
        return
      case 2: {
        const len = this.varint()
        this.advance(len)
        return
      }
      case 5:
        this.advance(4)
        return
      default:
        throw new DecodeError(`unsupported wire type ${wireType}`)
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.buf.length) throw new DecodeError('truncated field')
    this.pos += n
  }
}
