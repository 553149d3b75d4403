// Minimal protobuf (proto2) reading and writing: varints up to 2^53, length-delimited fields.
// Readers throw InvalidEncodingError on any malformed input; they never read past `end`.
import { InvalidEncodingError } from '../errors.js'

export const WIRE_VARINT = 0
export const WIRE_FIXED64 = 1
export const WIRE_BYTES = 2
export const WIRE_FIXED32 = 5

/** A cursor over one message: `pos` advances as fields are read. */
export class ProtoReader {
  pos: number
  readonly end: number
  readonly buf: Buffer

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength)
    this.pos = start
    this.end = end
  }

  get done(): boolean {
    return this.pos >= this.end
  }

  /** Reads an unsigned varint; values past 2^53 - 1 are refused (no JS number holds them). */
  varint(): number {
    let result = 0
    let factor = 1
    for (let i = 0; i < 8; i++) {
      if (this.pos >= this.end) throw new InvalidEncodingError('Truncated varint')
      const byte = this.buf[this.pos++]
      result += (byte & 0x7f) * factor
      if (byte < 0x80) {
        if (result > Number.MAX_SAFE_INTEGER) {
          throw new InvalidEncodingError('Varint larger than 2^53 - 1')
        }
        return result
      }
      factor *= 128
    }
    throw new InvalidEncodingError('Varint longer than 8 bytes (past 2^53)')
  }

  /** Reads a field tag: returns [fieldNumber, wireType]. */
  tag(): [number, number] {
    const prefix = this.varint()
    return [Math.floor(prefix / 8), prefix & 7]
  }

  /** Reads a length prefix and returns the [start, end) of the payload. */
  lengthDelimited(): [number, number] {
    const len = this.varint()
    const start = this.pos
    if (len > this.end - start) throw new InvalidEncodingError('Field length past end of message')
    this.pos = start + len
    return [start, start + len]
  }

  bytes(): Buffer {
    const [start, end] = this.lengthDelimited()
    return Buffer.from(this.buf.subarray(start, end))
  }

  string(): string {
    const [start, end] = this.lengthDelimited()
    return this.buf.toString('utf-8', start, end)
  }

  bool(): boolean {
    return this.varint() !== 0
  }

  /** Skips a field of an unknown number, as protocol-buffers does. */
  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.varint()
        return
      case WIRE_FIXED64:
        this.advance(8)
        return
      case WIRE_BYTES:
        this.lengthDelimited()
        return
      case WIRE_FIXED32:
        this.advance(4)
        return
      default:
        throw new InvalidEncodingError(`Unknown wire type ${wireType}`)
    }
  }

  /** Refuses a known field carried with a wire type other than the one its schema gives. */
  expect(field: number, wireType: number, expected: number): void {
    if (wireType !== expected) {
      throw new InvalidEncodingError(
        `Field ${field} has wire type ${wireType}, expected ${expected}`,
      )
    }
  }

  private advance(n: number): void {
    if (n > this.end - this.pos) throw new InvalidEncodingError('Fixed field past end of message')
    this.pos += n
  }
}

/** Number of bytes of the varint encoding of a non-negative integer. */
export function varintLength(n: number): number {
  let len = 1
  while (n >= 128) {
    n = Math.floor(n / 128)
    len++
  }
  return len
}

/** A growable writer; `finish()` returns exactly the written bytes. */
export class ProtoWriter {
  private buf: Buffer
  private pos = 0

  constructor(capacity = 64) {
    this.buf = Buffer.allocUnsafe(capacity)
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n))
    this.buf.copy(next, 0, 0, this.pos)
    this.buf = next
  }

  varint(n: number): this {
    this.ensure(10)
    // Same arithmetic as the varint package the originals use: no 32-bit truncation.
    while (n >= 128) {
      this.buf[this.pos++] = (n % 128) | 0x80
      n = Math.floor(n / 128)
    }
    this.buf[this.pos++] = n
    return this
  }

  tag(field: number, wireType: number): this {
    return this.varint(field * 8 + wireType)
  }

  bytes(data: Uint8Array): this {
    this.varint(data.length)
    this.ensure(data.length)
    this.buf.set(data, this.pos)
    this.pos += data.length
    return this
  }

  string(s: string): this {
    const len = Buffer.byteLength(s)
    this.varint(len)
    this.ensure(len)
    this.pos += this.buf.write(s, this.pos, 'utf-8')
    return this
  }

  finish(): Buffer {
    return this.buf.subarray(0, this.pos)
  }
}
