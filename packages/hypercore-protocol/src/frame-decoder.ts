// Incremental frame parser: varint(length) ‖ varint(channel << 4 | type) ‖ body, any chunk split.
import { FrameTooLargeError, InvalidFrameError } from './errors.js'

/**
 * Largest frame body accepted (after the header varint): 8 MiB, as simple-message-channels.
 * A larger announced length is rejected before a single body byte is buffered.
 */
export const MAX_FRAME_SIZE = 8 * 1024 * 1024

/** Varints on the frame layer longer than this are rejected (2^56 is beyond any valid length). */
const MAX_VARINT_BYTES = 8

/** First capacity for a large body that spans chunks (it grows as bytes arrive). */
const MIN_GATHER = 16 * 1024
/**
 * A body that spans chunks and is at most this long gets its whole buffer at once: a 64 KiB
 * block's frame is gathered with one allocation and one copy instead of growing through 16 KiB
 * and 64 KiB. A peer that announces such a body and stalls holds at most this much.
 */
const EAGER_GATHER = 256 * 1024

/**
 * Receives one frame. `body` holds the frame in `[start, end)`: a view into the received chunk
 * when the frame arrived whole, else a buffer gathered for it. The decoder never writes into
 * chunks, so views stay valid as long as nobody rewrites the chunk.
 */
export type FrameHandler = (
  channel: number,
  type: number,
  body: Buffer,
  start: number,
  end: number,
) => void

const STATE_LENGTH = 0
const STATE_HEADER = 1
const STATE_BODY = 2

export class FrameDecoder {
  readonly maxSize: number
  private readonly onframe: FrameHandler
  private state = STATE_LENGTH
  private varint = 0
  private factor = 1
  private consumed = 0
  private length = 0
  private header = 0
  /**
   * A body that spans chunks is gathered here. A large one's capacity doubles as bytes arrive
   * (up to the body length), so memory follows what a peer actually sent, not the length it
   * announced.
   */
  private body: Buffer | null = null
  private filled = 0
  /** Set by destroy() (e.g. from inside a handler) so the current chunk is not read further. */
  destroyed = false

  constructor(onframe: FrameHandler, maxSize = MAX_FRAME_SIZE) {
    this.onframe = onframe
    this.maxSize = maxSize
  }

  /** True when no partial frame is buffered. */
  get idle(): boolean {
    return this.state === STATE_LENGTH && this.consumed === 0
  }

  destroy(): void {
    this.destroyed = true
    this.body = null
  }

  /** Parses `chunk`; throws FrameTooLargeError / InvalidFrameError on malformed input. */
  push(chunk: Buffer): void {
    let offset = 0
    const len = chunk.byteLength
    while (offset < len && !this.destroyed) {
      if (this.state === STATE_BODY) {
        offset = this.readBody(chunk, offset)
        continue
      }
      // Fast path: a whole frame inside this chunk with 1-byte length and header varints
      // (every frame under 128 bytes on channels < 8) needs no state machine.
      if (this.consumed === 0 && this.state === STATE_LENGTH) {
        const l = chunk[offset]
        if (l === 0) {
          offset++ // keep-alive
          continue
        }
        if (
          l < 0x80 &&
          offset + 1 + l <= len &&
          chunk[offset + 1] < 0x80 &&
          l - 1 <= this.maxSize
        ) {
          const header = chunk[offset + 1]
          const start = offset + 2
          offset = start + l - 1
          this.onframe(header >>> 4, header & 15, chunk, start, offset)
          continue
        }
        // Same for a 2-byte length (frames of 128 B .. 16 KiB: 1 KiB blocks with their proofs).
        const l2 = chunk[offset + 1]
        if (l >= 0x80 && l2 < 0x80 && l2 !== 0 && offset + 2 < len) {
          const length = (l & 0x7f) | (l2 << 7)
          const header = chunk[offset + 2]
          if (header < 0x80 && offset + 2 + length <= len && length - 1 <= this.maxSize) {
            const start = offset + 3
            offset = start + length - 1
            this.onframe(header >>> 4, header & 15, chunk, start, offset)
            continue
          }
        }
      }
      offset = this.readVarint(chunk, offset)
    }
  }

  private readVarint(chunk: Buffer, offset: number): number {
    const len = chunk.byteLength
    while (offset < len) {
      const byte = chunk[offset++]
      this.varint += (byte & 0x7f) * this.factor
      this.consumed++
      if (byte < 0x80) {
        this.onvarint(chunk, offset)
        return offset
      }
      if (this.consumed >= MAX_VARINT_BYTES) {
        throw new InvalidFrameError(`Incoming varint is invalid: over ${MAX_VARINT_BYTES} bytes`)
      }
      this.factor *= 128
    }
    return offset
  }

  private onvarint(chunk: Buffer, offset: number): void {
    const value = this.varint
    const consumed = this.consumed
    this.varint = 0
    this.factor = 1
    this.consumed = 0

    if (this.state === STATE_LENGTH) {
      if (value === 0) return // keep-alive
      // The header varint is at most MAX_VARINT_BYTES, so this bound is exact enough to refuse
      // an oversized frame before waiting for (or buffering) any of it.
      if (value > this.maxSize + MAX_VARINT_BYTES) throw new FrameTooLargeError(value, this.maxSize)
      this.length = value
      this.state = STATE_HEADER
      return
    }

    // STATE_HEADER
    this.header = value
    const bodyLength = this.length - consumed
    if (bodyLength < 0) {
      throw new InvalidFrameError(
        `Frame header takes ${consumed} bytes but the frame is only ${this.length} bytes long`,
      )
    }
    if (bodyLength > this.maxSize) throw new FrameTooLargeError(bodyLength, this.maxSize)
    this.length = bodyLength
    this.state = STATE_BODY
    if (bodyLength === 0) this.emit(chunk, offset, offset)
    else if (chunk.byteLength - offset < bodyLength) {
      // The body spans chunks: gather it. A large one grows with the bytes received, so memory
      // follows what a peer sent, not the length it announced.
      this.body = Buffer.allocUnsafe(bodyLength <= EAGER_GATHER ? bodyLength : MIN_GATHER)
      this.filled = 0
    }
  }

  private readBody(chunk: Buffer, offset: number): number {
    let body = this.body
    if (body === null) {
      // Whole body inside this chunk: hand out a view, no copy.
      const end = offset + this.length
      this.emit(chunk, offset, end)
      return end
    }
    const missing = this.length - this.filled
    const available = chunk.byteLength - offset
    const n = available < missing ? available : missing
    if (this.filled + n > body.byteLength) {
      const grown = Buffer.allocUnsafe(
        Math.min(this.length, Math.max(this.filled + n, body.byteLength * 2)),
      )
      body.copy(grown, 0, 0, this.filled)
      this.body = body = grown
    }
    chunk.copy(body, this.filled, offset, offset + n)
    this.filled += n
    offset += n
    if (this.filled === this.length) {
      this.body = null
      this.emit(body, 0, this.length)
    }
    return offset
  }

  private emit(buf: Buffer, start: number, end: number): void {
    this.state = STATE_LENGTH
    const header = this.header
    this.onframe(Math.floor(header / 16), header % 16, buf, start, end)
  }
}
