// Protobuf field primitives: varints written in place, and a bounds-checked reader for peer input.
import { encodings } from '../commonjs.js'
import { InvalidMessageError } from '../errors.js'

/** Wire types used by the schema (proto2): 0 varint, 2 length-delimited. */
export const VARINT = 0
export const LENGTH_DELIMITED = 2

/** Number of bytes `value` takes as an unsigned LEB128 varint (value ≤ 2^53). */
export function varintLength(value: number): number {
  if (value < 0x80) return 1
  if (value < 0x4000) return 2
  if (value < 0x200000) return 3
  if (value < 0x10000000) return 4
  let n = 4
  value = Math.floor(value / 0x10000000)
  while (value > 0) {
    n++
    value = Math.floor(value / 128)
  }
  return n
}

/** Writes `value` as a varint at `offset`; returns the offset after it. */
export function writeVarint(buf: Uint8Array, offset: number, value: number): number {
  while (value >= 0x80000000) {
    buf[offset++] = (value & 0x7f) | 0x80
    value = Math.floor(value / 128)
  }
  while (value >= 0x80) {
    buf[offset++] = (value & 0x7f) | 0x80
    value >>>= 7
  }
  buf[offset++] = value
  return offset
}

/** Length of a length-delimited bytes field body (varint length ‖ bytes), as the original writes it. */
export function bytesFieldLength(value: Uint8Array): number {
  if (value instanceof Uint8Array) return varintLength(value.byteLength) + value.byteLength
  return encodings.bytes.encodingLength(value)
}

/** Writes varint(length) ‖ bytes at `offset`; returns the offset after it. */
export function writeBytesField(buf: Uint8Array, offset: number, value: Uint8Array): number {
  const start = writeVarint(buf, offset, value.byteLength)
  buf.set(value, start)
  return start + value.byteLength
}

/** Length of a string field body (varint length ‖ UTF-8). */
export function stringFieldLength(value: string): number {
  return encodings.string.encodingLength(value)
}

/** Writes a string field body at `offset`; returns the offset after it. */
export function writeStringField(buf: Uint8Array, offset: number, value: string): number {
  encodings.string.encode(value, buf, offset)
  return offset + encodings.string.encode.bytes
}

/**
 * A cursor over one message body [offset, end). Every read checks bounds, so truncated or
 * hostile bodies raise InvalidMessageError instead of reading past the frame.
 */
export class ProtoReader {
  buf: Buffer
  offset: number
  end: number

  constructor(buf: Buffer, offset: number, end: number) {
    this.buf = buf
    this.offset = offset
    this.end = end
  }

  get done(): boolean {
    return this.offset >= this.end
  }

  /** Re-points this reader at another body (decoders reuse one reader: no allocation). */
  reset(buf: Buffer, offset: number, end: number): this {
    this.buf = buf
    this.offset = offset
    this.end = end
    return this
  }

  varint(): number {
    const offset = this.offset
    if (offset < this.end) {
      const byte = this.buf[offset]
      if (byte < 0x80) {
        this.offset = offset + 1
        return byte
      }
    }
    return this.longVarint()
  }

  private longVarint(): number {
    const buf = this.buf
    let offset = this.offset
    let result = 0
    let factor = 1
    for (let i = 0; i < 10; i++) {
      if (offset >= this.end) throw new InvalidMessageError('Truncated varint in message body')
      const byte = buf[offset++]
      result += (byte & 0x7f) * factor
      if (byte < 0x80) {
        if (result > Number.MAX_SAFE_INTEGER) {
          throw new InvalidMessageError(`Varint ${result} exceeds 2^53 - 1`)
        }
        this.offset = offset
        return result
      }
      factor *= 128
    }
    throw new InvalidMessageError('Varint longer than 10 bytes in message body')
  }

  /** A view into the frame (no copy), as the original's decoder returns. */
  bytes(): Buffer {
    const len = this.varint()
    const start = this.offset
    if (len > this.end - start) {
      throw new InvalidMessageError(
        `Length-delimited field of ${len} bytes overruns the message (${this.end - start} left)`,
      )
    }
    this.offset = start + len
    return this.buf.subarray(start, start + len)
  }

  /** Skips a length-delimited field body and returns where it started (it ends at `offset`). */
  embedded(): number {
    const len = this.varint()
    const start = this.offset
    if (len > this.end - start) {
      throw new InvalidMessageError(
        `Embedded message of ${len} bytes overruns the message (${this.end - start} left)`,
      )
    }
    this.offset = start + len
    return start
  }

  string(): string {
    const len = this.varint()
    const start = this.offset
    if (len > this.end - start) {
      throw new InvalidMessageError(
        `String field of ${len} bytes overruns the message (${this.end - start} left)`,
      )
    }
    this.offset = start + len
    return this.buf.toString('utf-8', start, start + len)
  }

  bool(): boolean {
    return this.varint() !== 0
  }

  /** Reads a field key (field number << 3 | wire type). */
  tag(): number {
    const tag = this.varint()
    // Field numbers stop at 2^29 - 1, so a valid key fits 32 bits and `>>> 3` is exact.
    if (tag > 0xffffffff) throw new InvalidMessageError(`Field key ${tag} is out of range`)
    return tag
  }

  /** Skips one field body of `wireType`, as protobuf decoders skip unknown fields. */
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
        throw new InvalidMessageError(`Unsupported protobuf wire type ${wireType}`)
    }
  }

  private advance(n: number): void {
    if (n > this.end - this.offset) {
      throw new InvalidMessageError('Skipped field overruns the message')
    }
    this.offset += n
  }
}

/** Throws unless a known field arrived with the wire type the schema gives it. */
export function expectWireType(tag: number, expected: number, message: string): void {
  if ((tag & 7) !== expected) {
    throw new InvalidMessageError(
      `${message} field ${Math.floor(tag / 8)}: expected wire type ${expected}, got ${tag & 7}`,
    )
  }
}

/** Throws InvalidMessageError for a required field that never arrived. */
export function missingField(message: string, field: string): never {
  throw new InvalidMessageError(`${message} is missing its required field "${field}"`)
}

const EMPTY = Buffer.alloc(0)
const SHARED_READER = new ProtoReader(EMPTY, 0, 0)
const SHARED_NESTED_READER = new ProtoReader(EMPTY, 0, 0)

/**
 * The shared reader for a top-level body. Decoding is synchronous and never re-entered, so one
 * reader serves every decode; embedded messages use `nestedReader`.
 */
export function reader(buf: Buffer, start: number, end: number): ProtoReader {
  return SHARED_READER.reset(buf, start, end)
}

/** The shared reader for an embedded message (Data.Node) decoded inside a top-level one. */
export function nestedReader(buf: Buffer, start: number, end: number): ProtoReader {
  return SHARED_NESTED_READER.reset(buf, start, end)
}
