// The bucket table of a node (`trieBuffer`): varint(length), then (position, slot bitfield, seqs)
// triples for each non-empty bucket, as hypertrie@5's lib/trie.js writes them.
import { CorruptNodeError, DecodeError } from './errors.js'
import { ProtoReader, varintLength, writeVarint } from './messages/protobuf.js'

/** table[i] is the bucket at path position i; bucket[slot] is a seq, 0/undefined when empty. */
export type Bucket = number[]
export type BucketTable = (Bucket | undefined)[]

// A bucket has at most 5 slots per colliding key sharing one digit; the original builds the
// bitfield with 32-bit ORs, so more than 31 slots never decode the same way. Refuse them.
const MAX_SLOTS = 31

export function encodeTrieBuffer(table: BucketTable): Buffer {
  let size = varintLength(table.length)
  for (let i = 0; i < table.length; i++) {
    const bucket = table[i]
    if (!bucket) continue
    let bits = 0
    size += varintLength(i)
    for (let j = 0; j < bucket.length; j++) {
      const seq = bucket[j]
      if (seq) {
        bits += 2 ** j
        size += varintLength(seq)
      }
    }
    size += varintLength(bits)
  }
  const buf = Buffer.allocUnsafe(size)
  let offset = writeVarint(buf, 0, table.length)
  for (let i = 0; i < table.length; i++) {
    const bucket = table[i]
    if (!bucket) continue
    let bits = 0
    for (let j = 0; j < bucket.length; j++) if (bucket[j]) bits += 2 ** j
    offset = writeVarint(buf, offset, i)
    offset = writeVarint(buf, offset, bits)
    for (let j = 0; j < bucket.length; j++) {
      const seq = bucket[j]
      if (seq) offset = writeVarint(buf, offset, seq)
    }
  }
  return buf
}

/**
 * Decodes a bucket table. `maxLength` bounds the table to the node's own path length, so a
 * hostile length cannot make us allocate a huge array.
 */
export function decodeTrieBuffer(buf: Uint8Array, maxLength: number): BucketTable {
  const r = new ProtoReader(buf)
  const len = r.varint()
  if (len > maxLength)
    throw new DecodeError(`bucket table length ${len} exceeds path length ${maxLength}`)
  const table: BucketTable = new Array(len)
  while (!r.done) {
    const i = r.varint()
    if (i >= len) throw new DecodeError(`bucket at position ${i} past table length ${len}`)
    let bits = r.varint()
    if (bits >= 2 ** MAX_SLOTS) throw new DecodeError(`bucket at position ${i} has too many slots`)
    const bucket: Bucket = new Array(32 - Math.clz32(bits))
    let pos = 0
    while (bits) {
      if (bits & 1) bucket[pos] = r.varint()
      else bucket[pos] = 0
      bits >>>= 1
      pos++
    }
    table[i] = bucket
  }
  return table
}

/**
 * Checks a bucket table without building it: well-formed varints, ascending positions inside
 * the table, at most 31 slots, and every pointer naming an older block than `seq`. Nodes only ever point
 * backwards in the log, so anything else (itself, a newer block, past the feed end) is
 * corruption; refusing it rules out cycles and waits on blocks that will never exist.
 */
export function checkTrieBuffer(
  buf: Uint8Array,
  maxLength: number,
  seq: number,
  start = 0,
  end = buf.length,
): void {
  const len = checkedVarint(buf, start, end)
  if (len > maxLength)
    throw new DecodeError(`bucket table length ${len} exceeds path length ${maxLength}`)
  let at = varintEnd
  let last = -1
  while (at < end) {
    const i = checkedVarint(buf, at, end)
    if (i >= len) throw new DecodeError(`bucket at position ${i} past table length ${len}`)
    // hypertrie@5 writes buckets in ascending position order, and tables are read in place
    // with a forward cursor: anything else is corruption
    if (i <= last) throw new DecodeError(`bucket at position ${i} after position ${last}`)
    last = i
    let bits = checkedVarint(buf, varintEnd, end)
    at = varintEnd
    if (bits >= 2 ** MAX_SLOTS) throw new DecodeError(`bucket at position ${i} has too many slots`)
    for (; bits; bits >>>= 1) {
      if (bits & 1) {
        const s = checkedVarint(buf, at, end)
        at = varintEnd
        if (s >= seq)
          throw new CorruptNodeError(seq, `bucket ${i} points at block ${s}, not an older block`)
      }
    }
  }
}

// checkTrieBuffer's varints, as ProtoReader reads them (at most 8 bytes, below 2^53) but with
// no reader object; `varintEnd` is where the last one ended
let varintEnd = 0
function checkedVarint(buf: Uint8Array, at: number, end: number): number {
  let b = at < end ? buf[at++] : -1
  if (b < 0) throw new DecodeError('truncated varint')
  if (b < 128) {
    varintEnd = at
    return b
  }
  let result = b & 127
  let mul = 128
  for (let k = 1; k < 8; k++) {
    if (at >= end) throw new DecodeError('truncated varint')
    b = buf[at++]
    result += (b & 127) * mul
    if (b < 128) {
      if (result > Number.MAX_SAFE_INTEGER) throw new DecodeError('varint exceeds 2^53')
      varintEnd = at
      return result
    }
    mul *= 128
  }
  throw new DecodeError('varint too long')
}
