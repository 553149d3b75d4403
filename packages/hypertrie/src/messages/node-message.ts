// The `Node` protobuf of hypertrie@5 (schema.proto): one per block from block 1 on.
import { DecodeError } from '../errors.js'
import {
  ProtoReader,
  ProtoWriter,
  WIRE_BYTES,
  WIRE_VARINT,
  bytesFieldLength,
  uintFieldLength,
} from './protobuf.js'

export interface NodeMessage {
  key: string
  valueBuffer: Buffer | null
  trieBuffer: Uint8Array | null
  seq: number
  flags: number
}

/** hypertrie@5 always writes trieBuffer, seq and flags (even 0) and omits a null value. */
export function encodeNodeMessage(m: NodeMessage): Buffer {
  const key = Buffer.from(m.key, 'utf-8')
  let size = bytesFieldLength(1, key.length)
  if (m.valueBuffer !== null) size += bytesFieldLength(2, m.valueBuffer.length)
  if (m.trieBuffer !== null) size += bytesFieldLength(3, m.trieBuffer.length)
  size += uintFieldLength(4, m.seq) + uintFieldLength(5, m.flags)
  const w = new ProtoWriter(size)
  w.string(1, key)
  if (m.valueBuffer !== null) w.bytes(2, m.valueBuffer)
  if (m.trieBuffer !== null) w.bytes(3, m.trieBuffer)
  w.uint(4, m.seq)
  w.uint(5, m.flags)
  return w.finish()
}

/** encodeNodeMessage for a node whose table is held as a latin1 string (see table-cursor.ts). */
export function encodeNodeBlock(
  key: string,
  valueBuffer: Buffer | null,
  table: string,
  seq: number,
  flags: number,
): Buffer {
  const keyLength = Buffer.byteLength(key, 'utf-8')
  let size = bytesFieldLength(1, keyLength)
  if (valueBuffer !== null) size += bytesFieldLength(2, valueBuffer.length)
  size += bytesFieldLength(3, table.length)
  size += uintFieldLength(4, seq) + uintFieldLength(5, flags)
  const w = new ProtoWriter(size)
  w.utf8(1, key, keyLength)
  if (valueBuffer !== null) w.bytes(2, valueBuffer)
  w.latin1(3, table)
  w.uint(4, seq)
  w.uint(5, flags)
  return w.finish()
}

export function decodeNodeMessage(buf: Uint8Array): NodeMessage {
  const r = new ProtoReader(buf)
  let key: string | null = null
  let valueBuffer: Buffer | null = null
  let trieBuffer: Buffer | null = null
  let seq = 0
  let flags = 0
  while (!r.done) {
    const [field, wire] = r.tag()
    switch (field) {
      case 1:
        r.expectWire(wire, WIRE_BYTES, 'key')
        key = r.string()
        break
      case 2:
        r.expectWire(wire, WIRE_BYTES, 'valueBuffer')
        valueBuffer = r.bytes()
        break
      case 3:
        r.expectWire(wire, WIRE_BYTES, 'trieBuffer')
        trieBuffer = r.bytes()
        break
      case 4:
        r.expectWire(wire, WIRE_VARINT, 'seq')
        seq = r.varint()
        break
      case 5:
        r.expectWire(wire, WIRE_VARINT, 'flags')
        flags = r.varint()
        break
      default:
        r.skip(wire)
    }
  }
  if (key === null) throw new DecodeError('Node message is missing its required key')
  return { key, valueBuffer, trieBuffer, seq, flags }
}

const EMPTY = new Uint8Array(0)

/**
 * Where the fields of one Node message lie in its buffer: decodeNodeMessage without building
 * anything (a listing decodes 100k nodes straight out of the windows it read).
 */
export class NodeFieldSpans {
  keyStart = 0
  keyEnd = 0
  /** -1 when the node has no value. */
  valueStart = -1
  valueEnd = -1
  /** -1 when the node has no table. */
  tableStart = -1
  tableEnd = -1
  seq = 0
  flags = 0

  private readonly reader = new ProtoReader(EMPTY)

  /** Reads the message at `buf[start, end)`, checked as decodeNodeMessage checks it. */
  scan(buf: Uint8Array, start: number, end: number): void {
    const r = this.reader
    r.reset(buf, start, end)
    let hasKey = false
    this.valueStart = this.valueEnd = this.tableStart = this.tableEnd = -1
    this.seq = this.flags = 0
    while (!r.done) {
      const t = r.rawTag()
      const field = Math.floor(t / 8)
      const wire = t & 7
      switch (field) {
        case 1:
          r.expectWire(wire, WIRE_BYTES, 'key')
          this.keyStart = r.span()
          this.keyEnd = r.offset
          hasKey = true
          break
        case 2:
          r.expectWire(wire, WIRE_BYTES, 'valueBuffer')
          this.valueStart = r.span()
          this.valueEnd = r.offset
          break
        case 3:
          r.expectWire(wire, WIRE_BYTES, 'trieBuffer')
          this.tableStart = r.span()
          this.tableEnd = r.offset
          break
        case 4:
          r.expectWire(wire, WIRE_VARINT, 'seq')
          this.seq = r.varint()
          break
        case 5:
          r.expectWire(wire, WIRE_VARINT, 'flags')
          this.flags = r.varint()
          break
        default:
          r.skip(wire)
      }
    }
    r.reset(EMPTY, 0, 0) // hold no block past the call
    if (!hasKey) throw new DecodeError('Node message is missing its required key')
  }
}

/**
 * Splits blocks [start, start + count) read back to back into one buffer (node blocks carry no
 * length of their own). hypertrie@5 writes fields in ascending order and always writes `seq`
 * (block index) and `flags`, so a field number that does not ascend starts the next block.
 * Null unless exactly `count` pieces come out, each naming its own index in `seq`: anything a
 * writer laid out otherwise is read block by block instead.
 */
export function splitNodeBlocks(
  buf: Uint8Array,
  start: number,
  count: number,
): Uint8Array[] | null {
  const out: Uint8Array[] = []
  try {
    const r = new ProtoReader(buf)
    let from = 0
    let last = 0
    let seq = -1
    while (!r.done) {
      const at = r.offset
      const [field, wire] = r.tag()
      if (field <= last) {
        if (seq !== start + out.length) return null
        out.push(buf.subarray(from, at))
        from = at
        seq = -1
      }
      last = field
      if (field === 4 && wire === WIRE_VARINT) seq = r.varint()
      else r.skip(wire)
    }
    if (seq !== start + out.length) return null
    out.push(buf.subarray(from))
  } catch {
    return null
  }
  return out.length === count ? out : null
}
