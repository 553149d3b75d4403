// One read-ahead window over the data file: sequential readers of small blocks (replication
// uploads, read streams, trie walks) get 64 KiB per storage read instead of one read per block.

/** Bytes read ahead; blocks of a quarter of this or more are read on their own. */
export const DATA_WINDOW_SIZE = 64 * 1024

export class DataWindow {
  private offset = 0
  private bytes: Buffer | null = null
  /** Bumped by every invalidation, so a read that raced a write is not kept. */
  private generation = 0

  /** The bytes [offset, offset + size) when the window holds them (a view, not a copy). */
  get(offset: number, size: number): Buffer | null {
    const bytes = this.bytes
    if (bytes === null || offset < this.offset || offset + size > this.offset + bytes.length)
      return null
    return bytes.subarray(offset - this.offset, offset - this.offset + size)
  }

  /** Call before reading a new window; pass the result to `set`. */
  begin(): number {
    return this.generation
  }

  set(offset: number, bytes: Buffer, generation: number): void {
    if (generation !== this.generation) return
    this.offset = offset
    this.bytes = bytes
  }

  /** Data was written or deleted: what the window holds (or a read in flight) may be stale. */
  invalidate(): void {
    this.bytes = null
    this.generation++
  }
}
