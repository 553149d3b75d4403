import type { Bitfield } from './bitfield.js'
import { BlockOffsets } from './block-offsets.js'
// Where a core's blocks are in the data file and reading them: offsets learnt from appends,
// downloads and tree reads (BlockOffsets), and read-ahead for sequential readers (ReadLanes).
import { flat } from './commonjs.js'
import { readU64 } from './crypto.js'
import { DATA_WINDOW_SIZE } from './data-window.js'
import { ReadLanes } from './read-lanes.js'
import type { TreeNodes } from './tree-nodes.js'

/**
 * Blocks whose offsets one tree read learns (their leaves: 40 KiB). Random readers of a large core
 * learn many of these; a whole 4096-block page (320 KiB) per lookup was mostly garbage.
 */
const LEARN_SPAN = 512

export interface BlockStorage {
  readData(offset: number, size: number): Promise<Buffer>
  readTreeRange(first: number, count: number): Promise<Buffer>
}

export interface BlockLocation {
  offset: number
  size: number
}

export class BlockReader {
  /** Known offsets (appends and downloads record theirs here). */
  readonly offsets = new BlockOffsets()
  private readonly lanes = new ReadLanes()
  /** Span reads in flight, by their first block. */
  private readonly learning = new Map<number, Promise<boolean>>()
  /** The block the last lookup that missed the offsets was for. */
  private lastLocated = Number.NEGATIVE_INFINITY

  constructor(
    private readonly storage: BlockStorage,
    private readonly nodes: TreeNodes,
    private readonly bitfield: () => Bitfield,
    private readonly length: () => number,
  ) {}

  /** Byte offset and size of stored block `index` in the data file. */
  async locate(index: number): Promise<BlockLocation> {
    const known = this.offsets.get(index)
    if (known) return known
    // Where it starts is known (the previous block's end): only its size is missing.
    const start = this.offsets.startOf(index)
    if (!Number.isNaN(start)) {
      const leaf = await this.nodes.get(2 * index)
      this.offsets.set(index, start, leaf.size)
      return { offset: start, size: leaf.size }
    }
    // A core larger than the pages hold keeps offsets only for a reader moving through it (this
    // lookup near the last): a random reader's pages would replace each other before they paid
    // back, and the roots and leaf below are a few cached or 40-byte reads. (Spans for random
    // stats of a 1M-file drive read 53 KiB of tree per stat; their pages held 8 MiB.)
    const keep =
      this.length() <= BlockOffsets.CAPACITY || Math.abs(index - this.lastLocated) < LEARN_SPAN
    this.lastLocated = index
    // A reader jumping around one page of blocks learns the offsets near it from one tree read.
    if (keep && this.offsets.missed(index) && (await this.learnSpan(index))) {
      const learned = this.offsets.get(index)
      if (learned) return learned
    }
    // The roots left of the block and its leaf, read at once (a cold tree on disk otherwise
    // costs one round trip per root).
    const nodes = await Promise.all(
      flat
        .fullRoots(2 * index)
        .concat(2 * index)
        .map((n) => this.nodes.get(n)),
    )
    const leaf = nodes[nodes.length - 1]
    let offset = 0
    for (let i = 0; i < nodes.length - 1; i++) offset += nodes[i].size
    // (A random lookup in a big core keeps no 32 KiB page for two offsets: a repeat costs its leaf.)
    if (keep || this.offsets.hasPage(index)) this.offsets.set(index, offset, leaf.size)
    return { offset, size: leaf.size }
  }

  /**
   * Learns the offsets of the blocks in `index`'s aligned span from one read of their leaves (the
   * offset of the span's first block from its roots); false when a leaf is not stored.
   */
  private learnSpan(index: number): Promise<boolean> {
    const first = index - (index % LEARN_SPAN)
    // Concurrent lookups in one span read it once.
    let learning = this.learning.get(first)
    if (learning === undefined) {
      learning = this.readSpan(first).finally(() => this.learning.delete(first))
      this.learning.set(first, learning)
    }
    return learning
  }

  private async readSpan(first: number): Promise<boolean> {
    const end = Math.min(first + LEARN_SPAN, this.length())
    if (end - first < 2) return false
    const bits = this.bitfield()
    for (let i = first; i < end; i++) if (!bits.getTree(2 * i)) return false
    const [roots, tree] = await Promise.all([
      Promise.all(flat.fullRoots(2 * first).map((n) => this.nodes.get(n))),
      this.storage.readTreeRange(2 * first, 2 * (end - first) - 1),
    ]).catch(() => [null, null])
    if (!roots || !tree) return false
    const at = roots.reduce((n, r) => n + r.size, 0)
    const sizes: { length: number }[] = []
    for (let i = first; i < end; i++) sizes.push({ length: readU64(tree, 80 * (i - first) + 32) })
    this.offsets.setRun(first, at, sizes)
    return true
  }

  /**
   * The raw bytes of stored block `index`. Small blocks may come back as a view into a
   * read-ahead window (`copy` makes them standalone, for callers that keep them).
   */
  async read(index: number, copy: boolean): Promise<Buffer> {
    const { offset, size } = this.offsets.get(index) ?? (await this.locate(index))
    const lanes = this.lanes
    let bytes = lanes.get(offset, size)
    // Read ahead only for a sequential reader (its second block in a row): random readers
    // would read a window per block.
    const window = lanes.follow(index)
    if (bytes === null && window && size * 4 < DATA_WINDOW_SIZE) {
      // Read ahead over the stored blocks that follow (only those: blocks never change once
      // stored, so a download does not make the window stale; clear() invalidates it).
      const bitfield = this.bitfield()
      let end = offset + size
      for (let next = index + 1; bitfield.get(next); next++) {
        const at = this.offsets.get(next)
        if (at === null || at.offset !== end || at.offset + at.size - offset > DATA_WINDOW_SIZE)
          break
        end += at.size
      }
      if (end > offset + size) {
        const generation = window.begin()
        const ahead = await this.storage.readData(offset, end - offset).catch(() => null)
        if (ahead) {
          window.set(offset, ahead, generation)
          bytes = ahead.subarray(0, size)
        }
      }
    }
    if (bytes === null) return this.storage.readData(offset, size)
    return copy ? Buffer.from(bytes) : bytes
  }

  /** The bytes of stored blocks [start, end) back to back, in one storage read. */
  async readRange(start: number, end: number): Promise<Buffer> {
    const [first, last] = await Promise.all([this.locate(start), this.locate(end - 1)])
    return this.storage.readData(first.offset, last.offset + last.size - first.offset)
  }

  /** Data was deleted: read-ahead windows (and reads in flight) may be stale. */
  invalidate(): void {
    this.lanes.invalidate()
  }
}
