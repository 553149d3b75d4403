// One open file (hyperdrive@10's fd API, which FUSE drives): positioned reads through the
// drive's read streams, and writes that go on where the last one ended, gathered into blocks.
import { Writable } from './commonjs.js'
import type { WriteFileOptions } from './drive-options.js'
import { BadFileDescriptorError, InvalidArgumentError } from './errors.js'
import { Mutex } from './mutex.js'
import type { OpenMode } from './open-flags.js'
import type { Stat } from './stat.js'
import type { FileWriteStream } from './write-stream.js'

/** Writes are gathered until this many bytes make a block (FUSE writes 4-128 KiB at a time). */
const FD_BLOCK_BYTES = 64 * 1024

/** What reads pull from: a drive read stream's chunks. */
export interface ChunkSource extends AsyncIterable<unknown> {
  destroy(): void
}

/** The drive methods a file descriptor uses. */
export interface FdDrive {
  createReadStream(name: string, opts: { start: number; length?: number }): ChunkSource
  createWriteStream(name: string, opts: WriteFileOptions): FileWriteStream
  truncate(name: string, size: number): Promise<void>
  writeFile(name: string, data: Uint8Array, opts: WriteFileOptions): Promise<void>
}

/** What rewriting a file keeps of its Stat (as the original passes the old Stat on). */
export function keptFields(st: Stat | null): WriteFileOptions {
  if (!st) return {}
  return {
    mode: st.mode,
    uid: st.uid,
    gid: st.gid,
    ...(st.metadata ? { metadata: st.metadata } : {}),
  }
}

/** A read stream from `at`: bounded to one read after a jump, open-ended once reads follow on. */
interface ReadCursor {
  stream: ChunkSource
  chunks: AsyncIterator<unknown>
  /** Bytes of the last chunk not handed out yet. */
  rest: Buffer | null
  /** File position of the next byte it gives. */
  at: number
  bounded: boolean
  ended: boolean
}

interface WriteState {
  stream: FileWriteStream
  gathered: Buffer[]
  gatheredBytes: number
  failed: Error | null
}

export class FileDescriptor {
  /** Where a read or write without a position goes. */
  position: number
  /** The file's size as this descriptor sees it (its own writes included). */
  size: number
  private cursor: ReadCursor | null = null
  private writing: WriteState | null = null
  private closed = false
  /** One operation at a time (see read). */
  private readonly turn = new Mutex()

  constructor(
    private readonly drive: FdDrive,
    readonly fd: number,
    readonly path: string,
    readonly mode: OpenMode,
    size: number,
    /** The Stat fields a rewrite keeps (mode, owner, metadata). */
    private readonly kept: WriteFileOptions,
  ) {
    this.size = size
    this.position = mode.appending ? size : 0
  }

  /** Whether it has writes not committed yet (the drive reports their size in stat). */
  get isWriting(): boolean {
    return this.writing !== null
  }

  /**
   * Reads up to `length` bytes at `position` (null: the descriptor's position) into `buffer` at
   * `offset`; 0 at the end. Calls on one descriptor run one at a time, in call order (FUSE may
   * issue them at once; they share the read stream and the position).
   */
  read(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number | null,
  ): Promise<number> {
    return this.inTurn(() => this.readAt(buffer, offset, length, position ?? this.position))
  }

  private async readAt(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<number> {
    this.check(this.mode.readable, 'not open for reading')
    if (length === 0) return 0
    let got = 0
    let cursor = this.cursorAt(position, length)
    while (got < length) {
      let chunk = cursor.rest
      cursor.rest = null
      if (chunk === null) {
        let next: IteratorResult<unknown>
        try {
          next = await cursor.chunks.next()
        } catch (err) {
          // A failed stream is done for: the next read (a retry) starts a fresh one.
          this.dropCursor()
          throw err
        }
        if (next.done) {
          cursor.ended = true
          // A read after a jump asked for its bytes only: reading on, go open-ended.
          if (!cursor.bounded || cursor.at >= this.size) break
          cursor = this.openCursor(cursor.at, null)
          continue
        }
        if (!(next.value instanceof Uint8Array)) throw new TypeError('A read stream gave no bytes')
        chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength)
      }
      const take = Math.min(chunk.length, length - got)
      buffer.set(chunk.subarray(0, take), offset + got)
      if (take < chunk.length) cursor.rest = chunk.subarray(take)
      got += take
      cursor.at += take
    }
    this.position = position + got
    return got
  }

  /**
   * Writes `length` bytes of `buffer` from `offset` where the file's bytes end so far (as
   * hyperdrive@10, no random-access writes yet: EBADF elsewhere). They land when the gathered
   * bytes fill a block, or at close.
   */
  write(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number | null,
  ): Promise<number> {
    return this.inTurn(() => this.writeAt(buffer, offset, length, position ?? this.position))
  }

  private async writeAt(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<number> {
    this.check(this.mode.writable, 'not open for writing')
    // Only where the bytes end: the end of what this descriptor wrote, of an appended file, or
    // 0 of an empty (or truncated) one; writing into existing bytes would drop the rest.
    const atEnd =
      position === this.position &&
      (this.writing !== null || this.mode.appending || this.size === 0)
    if (!atEnd) {
      throw new BadFileDescriptorError(
        this.fd,
        'random-access writes are not supported yet',
        this.path,
      )
    }
    const state = this.writing ?? (await this.startWriting())
    if (state.failed) throw state.failed
    // A copy: callers (FUSE among them) reuse their buffers.
    state.gathered.push(Buffer.from(buffer.subarray(offset, offset + length)))
    state.gatheredBytes += length
    this.position += length
    this.size = Math.max(this.size, this.position)
    if (state.gatheredBytes >= FD_BLOCK_BYTES) await this.flushGathered(state)
    return length
  }

  /** Sets the file's size (not while this descriptor is writing, unless it stays the same). */
  truncate(size: number): Promise<void> {
    return this.inTurn(() => this.truncateTo(size))
  }

  private async truncateTo(size: number): Promise<void> {
    this.check(this.mode.writable, 'not open for writing')
    if (!Number.isInteger(size) || size < 0)
      throw new InvalidArgumentError(`Invalid size ${size}`, this.path)
    if (this.writing) {
      if (size === this.size) return
      throw new InvalidArgumentError('Cannot truncate a file while writing to it', this.path)
    }
    if (size === 0) await this.drive.writeFile(this.path, Buffer.alloc(0), this.kept)
    else await this.drive.truncate(this.path, size)
    this.size = size
    this.position = Math.min(this.position, size)
    this.dropCursor()
  }

  /** Flushes and commits what was written (the file's new Stat), and stops reading. */
  close(): Promise<void> {
    return this.inTurn(() => this.closeNow())
  }

  private async closeNow(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.dropCursor()
    const state = this.writing
    if (!state) return
    this.writing = null
    if (state.failed) throw state.failed
    await this.flushGathered(state)
    await new Promise<void>((resolve, reject) => {
      state.stream.once('error', reject)
      state.stream.once('close', () => resolve())
      state.stream.end(undefined)
    })
  }

  private async inTurn<T>(operation: () => Promise<T>): Promise<T> {
    const release = await this.turn.lock()
    try {
      return await operation()
    } finally {
      release()
    }
  }

  private check(allowed: boolean, reason: string): void {
    if (this.closed) throw new BadFileDescriptorError(this.fd, 'closed', this.path)
    if (!allowed) throw new BadFileDescriptorError(this.fd, reason, this.path)
  }

  /** The cursor at `position`: the current one if it is there, else a new one. */
  private cursorAt(position: number, length: number): ReadCursor {
    const cursor = this.cursor
    if (cursor && cursor.at === position) return cursor
    // A jump (or the first read): just these bytes; reads that follow on go open-ended.
    return this.openCursor(position, length)
  }

  private openCursor(at: number, length: number | null): ReadCursor {
    this.dropCursor()
    const stream = this.drive.createReadStream(this.path, {
      start: at,
      ...(length === null ? {} : { length }),
    })
    const cursor: ReadCursor = {
      stream,
      chunks: stream[Symbol.asyncIterator](),
      rest: null,
      at,
      bounded: length !== null,
      ended: false,
    }
    this.cursor = cursor
    return cursor
  }

  private dropCursor(): void {
    if (this.cursor && !this.cursor.ended) this.cursor.stream.destroy()
    this.cursor = null
  }

  /**
   * The write stream that replaces the file's bytes at close; an appending descriptor first
   * copies the existing bytes into it (content blocks of one file are contiguous).
   */
  private async startWriting(): Promise<WriteState> {
    const stream = this.drive.createWriteStream(this.path, this.kept)
    const state: WriteState = { stream, gathered: [], gatheredBytes: 0, failed: null }
    stream.on('error', (err: Error) => {
      state.failed = err
    })
    this.writing = state
    if (this.mode.appending && this.size > 0) {
      for await (const chunk of this.drive.createReadStream(this.path, { start: 0 })) {
        if (!stream.write(chunk)) await Writable.drained(stream)
      }
    }
    return state
  }

  private async flushGathered(state: WriteState): Promise<void> {
    if (state.gatheredBytes === 0) return
    const block = state.gathered.length === 1 ? state.gathered[0] : Buffer.concat(state.gathered)
    state.gathered = []
    state.gatheredBytes = 0
    if (!state.stream.write(block)) await Writable.drained(state.stream)
    if (state.failed) throw state.failed
  }
}
