// Byte offsets of blocks in the data file, remembered once known (appends, reads, verified puts).
/** Beyond this many blocks offsets are not remembered (8 bytes each). */
const MAX_BLOCKS = 1 << 22

/**
 * `offset[i]` is where block i starts in the data file (NaN = not known yet). Blocks never move
 * (the log is append-only and `clear` keeps the layout), so a known offset stays valid.
 */
export class BlockOffsets {
  private offsets = new Float64Array(0)

  /** Offset and size of block `index`, or null when not both ends are known. */
  get(index: number): { offset: number; size: number } | null {
    const o = this.offsets
    if (index + 1 >= o.length) return null
    const start = o[index]
    const end = o[index + 1]
    if (Number.isNaN(start) || Number.isNaN(end)) return null
    return { offset: start, size: end - start }
  }

  /** Where block `index` starts, when known (the end of block index - 1 says it too); else NaN. */
  startOf(index: number): number {
    return index < this.offsets.length ? this.offsets[index] : Number.NaN
  }

  /** Remembers that block `index` starts at `offset` and has `size` bytes. */
  set(index: number, offset: number, size: number): void {
    if (!this.reserve(index + 2)) return
    this.offsets[index] = offset
    this.offsets[index + 1] = offset + size
  }

  /** Remembers `sizes.length` consecutive blocks from `index` starting at `offset`. */
  setRun(index: number, offset: number, sizes: readonly { length: number }[]): void {
    if (!this.reserve(index + sizes.length + 1)) return
    const o = this.offsets
    let at = offset
    for (let i = 0; i < sizes.length; i++) {
      o[index + i] = at
      at += sizes[i].length
    }
    o[index + sizes.length] = at
  }

  /** Forgets everything (overwrite). */
  reset(): void {
    this.offsets = new Float64Array(0)
  }

  private reserve(length: number): boolean {
    if (length <= this.offsets.length) return true
    if (length > MAX_BLOCKS) return false
    let size = Math.max(1024, this.offsets.length)
    while (size < length) size *= 2
    const next = new Float64Array(Math.min(size, MAX_BLOCKS + 1))
    next.fill(Number.NaN, this.offsets.length)
    next.set(this.offsets)
    this.offsets = next
    return true
  }
}
