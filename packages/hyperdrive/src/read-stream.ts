import { BlockArrivals } from './block-arrivals.js'
// Streams a byte range of one file from its content core, fetching only the covering blocks
// (seek to the first and last byte, then get() those blocks with a small read-ahead window).
import { Readable } from './commonjs.js'
import { type ReadRangeOptions, fileByteRange } from './content-range.js'
import {
  type CoreSeekOptions,
  type CoreSeekResult,
  type DriveCore,
  seekResult,
} from './drive-backend.js'
import { ContentMismatchError } from './errors.js'
import { asBytes } from './trie-feed.js'

/** Where a file's bytes live: `blocks` blocks from `offset`, the first one at `byteOffset`. */
export interface FileLocation {
  core: DriveCore
  offset: number
  blocks: number
  byteOffset: number
  size: number
  path: string
}

export interface FileReadStreamOptions extends ReadRangeOptions {
  /**
   * Blocks requested ahead of the reader. Default: as many as fit in READ_AHEAD_BYTES at the
   * file's mean block size (4 MiB), between 8 and 64 (8 blocks of 512 KiB, 64 of 64 KiB).
   */
  readAhead?: number
  /**
   * Emit each content block as its own chunk (no ranged reads), as the original's stream does;
   * truncate copies through it so the rewritten file keeps the original's block layout.
   */
  blockChunks?: boolean
}

/** Bytes the default read-ahead window aims to keep requested. */
const READ_AHEAD_BYTES = 4 * 1024 * 1024
const MIN_READ_AHEAD = 8
const MAX_READ_AHEAD = 64

/** Bytes a ranged read of stored blocks aims at (the chunks such a stream emits). */
const RANGE_READ_BYTES = 1024 * 1024

/** Blocks per ranged read for a file of `size` bytes in `blocks` blocks (at least 1). */
function runOf(size: number, blocks: number): number {
  const mean = blocks > 0 ? size / blocks : 0
  if (mean <= 0) return 1
  return Math.max(1, Math.floor(RANGE_READ_BYTES / mean))
}

/** The default window for a file of `size` bytes in `blocks` blocks. */
function readAheadOf(size: number, blocks: number): number {
  const mean = blocks > 0 ? size / blocks : 0
  if (mean <= 0) return MAX_READ_AHEAD
  return Math.max(MIN_READ_AHEAD, Math.min(MAX_READ_AHEAD, Math.floor(READ_AHEAD_BYTES / mean)))
}

function noop(): void {}

export class FileReadStream extends Readable {
  private readonly locate: () => Promise<FileLocation>
  private readonly opts: FileReadStreamOptions
  private loc: FileLocation | null = null
  private next = 0
  private end = 0
  private skip = 0
  private remaining = 0
  private window = MIN_READ_AHEAD
  /** Reads in flight, oldest first: one block, or a run of blocks read as one range. */
  private readonly inflight: { data: Promise<unknown>; blocks: number }[] = []
  private inflightBlocks = 0
  /** Blocks per ranged read. */
  private runBlocks = 1
  /** Missing blocks of a sparse replica, taken as they arrive (null: read with get()). */
  private arrivals: BlockArrivals | null = null

  constructor(locate: () => Promise<FileLocation>, opts: FileReadStreamOptions = {}) {
    super()
    this.locate = locate
    this.opts = opts
  }

  override _open(cb: (err: Error | null) => void): void {
    this.plan().then(() => cb(null), cb)
  }

  override _read(cb: (err: Error | null) => void): void {
    this.readBlock().then(() => cb(null), cb)
  }

  override _destroy(cb: (err: Error | null) => void): void {
    this.arrivals?.close()
    this.arrivals = null
    this.inflight.length = 0
    this.inflightBlocks = 0
    cb(null)
  }

  private async plan(): Promise<void> {
    const loc = await this.locate()
    this.loc = loc
    const range = fileByteRange(loc.size, this.opts)
    this.remaining = range.length
    if (range.length === 0 || loc.blocks === 0) {
      this.remaining = 0
      return
    }
    const lastBlock = loc.offset + loc.blocks
    // A local writable core is complete: a byte it lacks will never come, so do not wait.
    const bounds = {
      start: loc.offset,
      end: lastBlock,
      ...(loc.core.writable ? { wait: false } : {}),
    }
    // Both ends at once: on a sparse replica each seek may be a round trip to a peer.
    const last = range.start + range.length >= loc.size ? null : range.start + range.length - 1
    // A one-block file needs no seek: its only block holds every byte.
    const single = loc.blocks === 1
    const [first, end] = await Promise.all([
      range.start === 0 || single ? null : this.seek(loc, loc.byteOffset + range.start, bounds),
      last === null || single ? null : this.seek(loc, loc.byteOffset + last, bounds),
    ])
    if (single) {
      this.next = loc.offset
      this.skip = range.start
    } else if (first === null) {
      this.next = loc.offset
      this.skip = 0
    } else {
      const at = seekResult(first)
      this.next = at.index
      this.skip = at.offset
    }
    this.end = end === null ? lastBlock : seekResult(end).index + 1
    this.window = this.opts.readAhead ?? readAheadOf(loc.size, loc.blocks)
    this.runBlocks = this.opts.blockChunks ? 1 : runOf(loc.size, loc.blocks)
    if (BlockArrivals.supports(loc.core) && loc.core.has(this.next, this.end) === false) {
      this.arrivals = new BlockArrivals(loc.core)
    }
    if (this.next < loc.offset || this.end > lastBlock || this.next >= this.end) {
      throw new ContentMismatchError(
        `Content blocks of ${loc.path} do not cover bytes ${range.start}-${range.start + range.length}`,
        loc.path,
      )
    }
    this.fill()
  }

  private async seek(
    loc: FileLocation,
    byte: number,
    opts: CoreSeekOptions,
  ): Promise<CoreSeekResult> {
    try {
      return await loc.core.seek(byte, opts)
    } catch (err) {
      throw new ContentMismatchError(
        `Content of ${loc.path} has no byte ${byte - loc.byteOffset}: ${(err as Error).message}`,
        loc.path,
      )
    }
  }

  /**
   * Keeps about `window` blocks requested: runs of stored blocks as one ranged read (about
   * RANGE_READ_BYTES each) when the core offers it, single gets otherwise (missing blocks are
   * fetched from peers one by one, so a sparse replica asks only for the covering blocks).
   */
  private fill(): void {
    const core = this.loc!.core
    while (this.inflightBlocks < this.window && this.next < this.end) {
      const start = this.next
      const run = Math.min(this.end, start + this.runBlocks)
      let p: Promise<unknown>
      if (run - start > 1 && core.getRange && core.has(start, run) === true) {
        p = core.getRange(start, run)
        this.next = run
      } else {
        p = this.arrivals ? this.arrivals.get(start) : core.get(start)
        this.next = start + 1
      }
      p.catch(noop)
      this.inflight.push({ data: p, blocks: this.next - start })
      this.inflightBlocks += this.next - start
    }
    this.arrivals?.request()
  }

  private async readBlock(): Promise<void> {
    if (this.remaining === 0) {
      this.push(null)
      return
    }
    this.fill()
    const pending = this.inflight.shift()
    if (pending) this.inflightBlocks -= pending.blocks
    else {
      const loc = this.loc!
      throw new ContentMismatchError(
        `Content of ${loc.path} ended ${this.remaining} bytes before the size its Stat records`,
        loc.path,
      )
    }
    let data = asBytes(await pending.data)
    if (this.skip) {
      data = data.subarray(this.skip)
      this.skip = 0
    }
    if (data.length > this.remaining) data = data.subarray(0, this.remaining)
    this.remaining -= data.length
    if (data.length > 0) this.push(data)
    // A block that held none of the wanted bytes (a Stat claiming more than its one block holds)
    // pushes nothing: go on to the next, which fails when there is none.
    else if (this.remaining > 0) return this.readBlock()
    if (this.remaining === 0) {
      this.arrivals?.close()
      this.push(null)
    }
  }
}
