// Byte ranges of a file <-> its content blocks: which bytes a read wants, and how a written
// chunk is cut into blocks (hyperdrive@10 cuts at 524288 bytes).

import { InvalidArgumentError } from './errors.js'

/** Largest content block a drive writes (the original's write-stream maxBlockSize). */
export const MAX_BLOCK_SIZE = 524288

export interface ReadRangeOptions {
  /** First byte to read (inclusive), default 0. */
  start?: number
  /** Last byte to read (inclusive), as fs.createReadStream's `end`. */
  end?: number
  /** Number of bytes to read (ignored when `end` is given). */
  length?: number
}

/** Bytes of one file to read: `start` relative to the file, `length` already clamped to its size. */
export interface FileByteRange {
  start: number
  length: number
}

function checkNonNegative(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) {
    throw new InvalidArgumentError(`${name} must be a non-negative integer, got ${v}`)
  }
}

/**
 * The bytes a read of a file of `size` bytes covers. Same arithmetic as hyperdrive@10
 * (`end` wins over `length`; both clamp to the file), but every result is bounded by `size`,
 * so a Stat cannot make us read past the file's own blocks.
 */
export function fileByteRange(size: number, opts: ReadRangeOptions = {}): FileByteRange {
  const start = opts.start ?? 0
  checkNonNegative('start', start)
  let wanted = Number.POSITIVE_INFINITY
  if (typeof opts.end === 'number') {
    checkNonNegative('end', opts.end)
    wanted = Math.max(0, opts.end - start + 1)
  } else if (typeof opts.length === 'number') {
    checkNonNegative('length', opts.length)
    wanted = opts.length
  }
  if (start >= size) return { start: size, length: 0 }
  return { start, length: Math.min(wanted, size - start) }
}

/**
 * Cuts one written chunk into content blocks of at most MAX_BLOCK_SIZE bytes (views, no copies).
 * An empty chunk stays one empty block, as an empty writeFile appends one zero-length block.
 */
export function cutIntoBlocks(chunk: Buffer, maxBlockSize = MAX_BLOCK_SIZE): Buffer[] {
  if (chunk.length <= maxBlockSize) return [chunk]
  const blocks: Buffer[] = []
  for (let i = 0; i < chunk.length; i += maxBlockSize) {
    blocks.push(chunk.subarray(i, Math.min(i + maxBlockSize, chunk.length)))
  }
  return blocks
}

/** Where a byte of the content core lies: block index and offset inside that block. */
export interface BlockPosition {
  index: number
  offset: number
}

/**
 * Finds the block holding the absolute content byte `byte`, given the lengths of the file's
 * blocks starting at `firstBlock` whose first byte is `firstByte`. Used when block lengths are
 * known locally (no network seek needed); returns null when `byte` is past those blocks.
 */
export function locateByte(
  byte: number,
  firstBlock: number,
  firstByte: number,
  blockLengths: readonly number[],
): BlockPosition | null {
  let pos = firstByte
  for (let i = 0; i < blockLengths.length; i++) {
    const len = blockLengths[i]
    if (byte < pos + len) return { index: firstBlock + i, offset: byte - pos }
    pos += len
  }
  return null
}
