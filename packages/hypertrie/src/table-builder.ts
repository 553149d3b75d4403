// Builds a new node's bucket table straight into its stored form. A put fills buckets in
// ascending position order (one position at a time), so each bucket is written out as soon as
// the walk moves past it; no arrays of arrays are built.
import { varintLength, writeVarint } from './messages/protobuf.js'
import { MAX_BUCKET_SLOTS, type StoredTable } from './table-cursor.js'

export class TableBuilder {
  private body = Buffer.allocUnsafeSlow(256)
  private bodyLength = 0
  /** Position of the bucket being filled (-1 = none yet). */
  private open = -1
  private tableLength = 0
  private readonly slots: number[] = new Array<number>(MAX_BUCKET_SLOTS).fill(0)
  private size = 0

  reset(): void {
    this.bodyLength = 0
    this.open = -1
    this.tableLength = 0
    this.size = 0
  }

  /**
   * hypertrie@5's push(): slot `val mod 5` of bucket `i`, moving up by 5 while occupied, never
   * storing a seq twice in a bucket. Positions must come in ascending order. A pointer that
   * would need slot 31 or more is dropped: the stored bitfield cannot hold it (the original
   * corrupts it; that takes six keys with the same 64-bit hash at one level).
   */
  push(i: number, val: number, seq: number): void {
    if (i !== this.open) {
      this.flush()
      this.open = i
      this.tableLength = i + 1
    }
    const slots = this.slots
    const size = this.size
    for (let k = 0; k < size; k++) if (slots[k] === seq) return
    val %= 5
    while (val < size && slots[val] !== 0) val += 5
    if (val >= MAX_BUCKET_SLOTS) return
    for (let k = size; k < val; k++) slots[k] = 0
    if (val >= size) this.size = val + 1
    slots[val] = seq
  }

  // writes the open bucket: varint(position), varint(bitfield), the seqs of the set slots
  private flush(): void {
    const size = this.size
    if (size === 0) return
    this.size = 0
    if (this.body.length - this.bodyLength < 16 + 8 * size) this.grow(16 + 8 * size)
    const body = this.body
    let bits = 0
    for (let k = 0; k < size; k++) if (this.slots[k] !== 0) bits |= 1 << k
    let at = writeVarint(body, this.bodyLength, this.open)
    at = writeVarint(body, at, bits)
    for (let k = 0; k < size; k++) {
      const seq = this.slots[k]
      if (seq !== 0) at = writeVarint(body, at, seq)
    }
    this.bodyLength = at
  }

  private grow(need: number): void {
    const next = Buffer.allocUnsafeSlow(Math.max(this.body.length * 2, this.bodyLength + need))
    this.body.copy(next, 0, 0, this.bodyLength)
    this.body = next
  }

  /** The stored table: varint(table length), then the buckets. Resets the builder. */
  finish(): StoredTable {
    this.flush()
    const head = varintLength(this.tableLength)
    if (this.body.length < head + this.bodyLength) this.grow(head)
    // the body moves up to make room for the length in front of it
    this.body.copyWithin(head, 0, this.bodyLength)
    writeVarint(this.body, 0, this.tableLength)
    const out = this.body.toString('latin1', 0, head + this.bodyLength)
    this.reset()
    return out
  }
}
