// Streams one file into the content core: every written chunk becomes one block (cut at
// 524288 bytes), appended in batches; on finish the file's Stat is put, as hyperdrive@10 does.
import { Writable } from './commonjs.js'
import { cutIntoBlocks } from './content-range.js'
import type { DriveCore } from './drive-backend.js'
import { InvalidArgumentError } from './errors.js'

/** Where the stream writes and what it does when done; provided by the drive. */
export interface WriteTarget {
  core: DriveCore
  release: () => void
  /** Puts the Stat for bytes [byteOffset, core.byteLength) and blocks [offset, core.length). */
  commit: (offset: number, byteOffset: number) => Promise<void>
}

/**
 * Bytes a write stream accepts before asking the writer to wait: what is buffered meanwhile goes
 * to the core as one append (one signature, one tree write), each chunk still its own block.
 */
const WRITE_BUFFER_BYTES = 4 * 1024 * 1024

export function toBuffer(chunk: unknown, encoding: BufferEncoding = 'utf-8'): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length)
  if (typeof chunk === 'string') return Buffer.from(chunk, encoding)
  throw new InvalidArgumentError(`Expected bytes or a string, got ${typeof chunk}`)
}

export class FileWriteStream extends Writable {
  private readonly acquire: () => Promise<WriteTarget>
  private target: WriteTarget | null = null
  private offset = 0
  private byteOffset = 0

  constructor(acquire: () => Promise<WriteTarget>) {
    super({ map: (chunk: unknown) => toBuffer(chunk), highWaterMark: WRITE_BUFFER_BYTES })
    this.acquire = acquire
  }

  override _open(cb: (err: Error | null) => void): void {
    this.acquire().then((target) => {
      this.target = target
      this.offset = target.core.length
      this.byteOffset = target.core.byteLength
      cb(null)
    }, cb)
  }

  override _writev(batch: unknown[], cb: (err: Error | null) => void): void {
    const blocks: Buffer[] = []
    for (const chunk of batch) {
      for (const block of cutIntoBlocks(chunk as Buffer)) blocks.push(block)
    }
    this.target!.core.append(blocks).then(() => cb(null), cb)
  }

  override _final(cb: (err: Error | null) => void): void {
    this.target!.commit(this.offset, this.byteOffset).then(() => cb(null), cb)
  }

  override _destroy(cb: (err: Error | null) => void): void {
    if (this.target) this.target.release()
    this.target = null
    cb(null)
  }
}
