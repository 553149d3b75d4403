// Reads a stored bucket table (see trie-buffer.ts) in place, bucket by bucket in ascending
// position order. Walks (get, put, delete, iterate) visit positions in ascending order, so a
// cursor reads each table once and nothing is ever decoded into arrays.
//
// Nodes keep their table as a latin1 string (one char per byte): the bytes sit inside the
// string object, so a walk touches one object per table instead of a Buffer and its backing
// store (random gets over a big trie are bound by those memory loads).

/** Slots a bucket can hold: the stored bitfield has 31 usable bits (see trie-buffer.ts). */
export const MAX_BUCKET_SLOTS = 31

/** "No further bucket": larger than any position. */
export const NO_BUCKET = Number.MAX_SAFE_INTEGER

/** A stored table as a latin1 string. */
export type StoredTable = string

/** The table of a node with no buckets. */
export const EMPTY_TABLE: StoredTable = ''

/** The stored bytes of a table as a StoredTable. */
export function tableFromBytes(bytes: Uint8Array): StoredTable {
  const buf = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return buf.toString('latin1')
}

/** The bytes of a StoredTable. */
export function tableToBytes(table: StoredTable): Buffer {
  return Buffer.from(table, 'latin1')
}

// varint reads over tables checked by checkTrieBuffer (or written by TableBuilder): they are
// well formed, positions ascend and bitfields fit 31 bits, so there are no bounds checks;
// `readEnd` is the offset after the last read
let readEnd = 0
function readVarint(buf: StoredTable, at: number): number {
  let b = buf.charCodeAt(at++)
  if (b < 128) {
    readEnd = at
    return b
  }
  let n = b & 127
  let mul = 128
  do {
    b = buf.charCodeAt(at++)
    n += (b & 127) * mul
    mul *= 128
  } while (b & 128)
  readEnd = at
  return n
}

function skipVarint(buf: StoredTable, at: number): number {
  while (buf.charCodeAt(at++) & 128) {}
  return at
}

export class TableCursor {
  buf: StoredTable = EMPTY_TABLE
  /** Byte offset of the next unread bucket's header. */
  off = 0
  /** Position of the next unread bucket (NO_BUCKET when there is none). */
  pos = NO_BUCKET
  /** The slots of the bucket `seek` found: slots[0..size), 0 where empty. */
  readonly slots: number[] = new Array<number>(MAX_BUCKET_SLOTS + 1).fill(0)
  size = 0

  /** Starts at the first bucket of `buf`. */
  open(buf: StoredTable): void {
    this.buf = buf
    if (buf.length === 0) {
      this.off = 0
      this.pos = NO_BUCKET
      return
    }
    readVarint(buf, 0) // table length
    this.off = readEnd
    this.pos = this.off < buf.length ? readVarint(buf, this.off) : NO_BUCKET
  }

  /** Resumes where a saved cursor (its `off` and `pos`) stopped. */
  restore(buf: StoredTable, off: number, pos: number): void {
    this.buf = buf
    this.off = off
    this.pos = pos
  }

  /**
   * Moves to position `i` (never backwards): true, with `slots` and `size` filled, when there is
   * a bucket at `i`. Afterwards `pos` names the next bucket after `i`.
   */
  seek(i: number): boolean {
    const buf = this.buf
    while (this.pos < i) {
      readVarint(buf, this.off) // position
      let bits = readVarint(buf, readEnd)
      let at = readEnd
      for (; bits; bits >>>= 1) if (bits & 1) at = skipVarint(buf, at)
      this.off = at
      this.pos = at < buf.length ? readVarint(buf, at) : NO_BUCKET
    }
    if (this.pos !== i) return false
    readVarint(buf, this.off)
    let bits = readVarint(buf, readEnd)
    let at = readEnd
    const slots = this.slots
    let k = 0
    for (; bits; bits >>>= 1, k++) {
      if (bits & 1) {
        slots[k] = readVarint(buf, at)
        at = readEnd
      } else {
        slots[k] = 0
      }
    }
    this.size = k
    this.off = at
    this.pos = at < buf.length ? readVarint(buf, at) : NO_BUCKET
    return true
  }
}

/** The seq in slot `v` of bucket `i` of a stored table (0 when empty). */
export function storedSlot(buf: StoredTable, i: number, v: number): number {
  if (buf.length === 0) return 0
  readVarint(buf, 0)
  let at = readEnd
  while (at < buf.length) {
    const pos = readVarint(buf, at)
    let bits = readVarint(buf, readEnd)
    at = readEnd
    if (pos < i) {
      for (; bits; bits >>>= 1) if (bits & 1) at = skipVarint(buf, at)
      continue
    }
    if (pos > i) return 0
    for (let k = 0; bits; bits >>>= 1, k++) {
      if (!(bits & 1)) {
        if (k === v) return 0
        continue
      }
      const seq = readVarint(buf, at)
      at = readEnd
      if (k === v) return seq
    }
    return 0
  }
  return 0
}
