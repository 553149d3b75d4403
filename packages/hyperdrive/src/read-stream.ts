// Streams a byte range of one file from its content core, fetching only the covering blocks
// (seek to the first and last byte, then get() those blocks with a small read-ahead window).
import { Readable } from 'streamx'
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
  /** Blocks requested ahead of the reader (default 8: 4 MiB of 512 KiB blocks). */
  readAhead?: number
}

const DEFAULT_READ_AHEAD = 8

function noop(): void {}

export class FileReadStream extends Readable {
  private readonly locate: () => Promise<FileLocation>
  private readonly opts: FileReadStreamOptions
  private loc: FileLocation | null = null
  private next = 0
  private end = 0
  private skip = 0
  private remaining = 0
  private readonly inflight: Promise<unknown>[] = []

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
    this.inflight.length = 0
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
    if (range.start === 0) {
      this.next = loc.offset
      this.skip = 0
    } else {
      const first = seekResult(await this.seek(loc, loc.byteOffset + range.start, bounds))
      this.next = first.index
      this.skip = first.offset
    }
    if (range.start + range.length >= loc.size) {
      this.end = lastBlock
    } else {
      const last = seekResult(
        await this.seek(loc, loc.byteOffset + range.start + range.length - 1, bounds),
      )
      this.end = last.index + 1
    }
    if (this.next < loc.offset || this.end > lastBlock || this.next >= this.end) {
      throw new ContentMismatchError(
        `Content blocks of ${loc.path} do not cover bytes ${range.start}-${range.start + range.length}`,
        loc.path,
      )
    }
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

  private fill(): void {
    const loc = this.loc!
    const window = this.opts.readAhead ?? DEFAULT_READ_AHEAD
    while (this.inflight.length < window && this.next < this.end) {
      const p = loc.core.get(this.next++)
      p.catch(noop)
      this.inflight.push(p)
    }
  }

  private async readBlock(): Promise<void> {
    if (this.remaining === 0) {
      this.push(null)
      return
    }
    this.fill()
    const pending = this.inflight.shift()
    if (!pending) {
      const loc = this.loc!
      throw new ContentMismatchError(
        `Content of ${loc.path} ended ${this.remaining} bytes before the size its Stat records`,
        loc.path,
      )
    }
    let data = asBytes(await pending)
    if (this.skip) {
      data = data.subarray(this.skip)
      this.skip = 0
    }
    if (data.length > this.remaining) data = data.subarray(0, this.remaining)
    this.remaining -= data.length
    if (data.length > 0) this.push(data)
    if (this.remaining === 0) this.push(null)
  }
}
