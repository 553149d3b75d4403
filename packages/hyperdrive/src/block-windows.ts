// Trie blocks read in aligned windows while a listing walks the trie. A listing visits its nodes
// in hash order, which is random in the core, so reading them one by one costs one storage read
// per entry (100k reads for a 100k-file directory); windows read each stretch of the core once
// and hand out its blocks. Kept only while a listing runs, and bounded in bytes.
import { nodeBlockEnds } from './messages/node-blocks.js'

/** What the windows need from the metadata core (our Hypercore has all of it). */
export interface WindowedCore {
  has(start: number, end?: number): boolean | Promise<boolean>
  getRange(start: number, end: number): Promise<Uint8Array>
}

/**
 * Blocks per window, aligned: ~35 KiB of a drive's nodes, under the size our hypercore reads on
 * the calling thread (larger reads take a thread-pool round trip).
 */
export const WINDOW_BLOCKS = 256

/**
 * A window is read on this many misses in it (the first ones read their blocks alone): a listing
 * of a few entries in a big core never reads windows, a dense one reads each once.
 */
const READ_ON_MISS = 4

/** Bytes of windows kept at most (a directory of ~120k files); the first read go first. */
export const WINDOW_BYTES = 16 * 1024 * 1024

/** A window that served fewer blocks than this before eviction was (mostly) wasted. */
const WASTED_BELOW = WINDOW_BLOCKS / 16

/** After this many wasted windows in a row, the listing goes back to block-by-block reads. */
const GIVE_UP_AFTER = 4

interface Window {
  start: number
  bytes: Buffer
  /** Where block start + k ends in `bytes` (it begins where block start + k - 1 ends). */
  ends: Int32Array
  served: number
}

export class BlockWindows {
  /** The windows in the order they were read (eviction order)... */
  private readonly windows = new Map<number, Window>()
  /** ...and by id, for lookups on every block of a listing. */
  private byId: (Window | undefined)[] = []
  private readonly loading = new Map<number, Promise<Window | null>>()
  /** Misses per window id (while below READ_ON_MISS). */
  private misses = new Map<number, number>()
  private bytes = 0
  private wasted = 0
  private off = false

  constructor(
    private readonly core: WindowedCore,
    private readonly length: () => number,
    private readonly limit = WINDOW_BYTES,
  ) {}

  /** Block `index` when its window is in memory (no read, no promise); else null. */
  peek(index: number): Buffer | null {
    const w = this.byId[Math.floor(index / WINDOW_BLOCKS)]
    return w === undefined ? null : blockOf(w, index)
  }

  /**
   * peek without a view: the window's bytes, with block `index` at `span.start` up to
   * `span.end`; null when its window is not in memory.
   */
  peekSpan(index: number, span: { start: number; end: number }): Buffer | null {
    const w = this.byId[Math.floor(index / WINDOW_BLOCKS)]
    if (w === undefined) return null
    const k = index - w.start
    if (k < 0 || k >= w.ends.length) return null
    w.served++
    span.start = k === 0 ? 0 : w.ends[k - 1]
    span.end = w.ends[k]
    return w.bytes
  }

  /**
   * Block `index` from its window (at once when the window is read, else once it is),
   * or null when windows cannot serve it (not stored, past the end, given up): the caller then
   * reads the block alone.
   */
  get(index: number): Buffer | Promise<Buffer | null> | null {
    const id = Math.floor(index / WINDOW_BLOCKS)
    const w = this.byId[id]
    if (w !== undefined) return blockOf(w, index)
    if (this.off) return null
    // block 0 is the trie's header: windows hold node blocks only
    const start = Math.max(1, id * WINDOW_BLOCKS)
    const end = Math.min(id * WINDOW_BLOCKS + WINDOW_BLOCKS, this.length())
    if (index >= end || end - start < 2) return null
    let load = this.loading.get(id)
    if (load === undefined) {
      const missed = (this.misses.get(id) ?? 0) + 1
      if (missed < READ_ON_MISS) {
        this.misses.set(id, missed)
        return null
      }
      this.misses.delete(id)
      if (this.core.has(start, end) !== true) return null
      load = this.load(id, start, end)
      this.loading.set(id, load)
    }
    return load.then((loaded) => (loaded === null ? null : blockOf(loaded, index)))
  }

  /** Drops every window (the listing ended). */
  clear(): void {
    this.windows.clear()
    this.byId = []
    this.misses = new Map()
    this.bytes = 0
    this.wasted = 0
    this.off = false
  }

  private async load(id: number, start: number, end: number): Promise<Window | null> {
    try {
      const range = await this.core.getRange(start, end)
      const bytes = Buffer.isBuffer(range)
        ? range
        : Buffer.from(range.buffer, range.byteOffset, range.byteLength)
      const ends = nodeBlockEnds(bytes, start, end - start)
      if (ends === null) return null
      const w: Window = { start, bytes, ends, served: 0 }
      this.windows.set(id, w)
      // grown one slot at a time so the array stays dense (a far index would make it a dictionary)
      while (this.byId.length <= id) this.byId.push(undefined)
      this.byId[id] = w
      this.bytes += bytes.byteLength
      this.evict()
      return w
    } catch {
      return null
    } finally {
      this.loading.delete(id)
    }
  }

  private evict(): void {
    for (const [id, w] of this.windows) {
      if (this.bytes <= this.limit) return
      this.windows.delete(id)
      this.byId[id] = undefined
      this.bytes -= w.bytes.byteLength
      // Windows evicted before serving much mean the listing spans more than fits: reading
      // whole windows then costs more than it saves.
      this.wasted = w.served < WASTED_BELOW ? this.wasted + 1 : 0
      if (this.wasted >= GIVE_UP_AFTER) this.off = true
    }
  }
}

/**
 * Block `index` as a view of its window. A node decoded from it keeps the window alive through
 * its value (a Stat of a few dozen bytes) while the trie caches it: at most the windows one
 * listing read (WINDOW_BYTES), dropped as the trie's cache turns over. Copies cost a fresh
 * allocation per entry instead (about as many fresh pages again as the windows themselves).
 */
function blockOf(w: Window, index: number): Buffer | null {
  const k = index - w.start
  if (k < 0 || k >= w.ends.length) return null
  w.served++
  return w.bytes.subarray(k === 0 ? 0 : w.ends[k - 1], w.ends[k])
}
