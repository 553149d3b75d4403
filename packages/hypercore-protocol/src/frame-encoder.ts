// Outgoing frames: encoded straight into a shared slab, coalesced until flush, then encrypted in
// place with one XSalsa20 call per batch. Large Data values are XORed from the caller's buffer
// into their frame (encryption doubles as the copy), never copied twice.
import type { MessageCodec } from './messages/codec.js'
import { isSet } from './messages/codec.js'
import { dataHeadLength, dataTailLength, encodeDataHead, encodeDataTail } from './messages/data.js'
import type { DataInput } from './messages/types.js'
import { varintLength, writeVarint } from './messages/wire.js'
import type { StreamCipher } from './stream-cipher.js'

/** Slab size for coalesced small frames. */
const SLAB_SIZE = 64 * 1024
/** Frames at least this large get a buffer of their own instead of a slab slice. */
const LARGE_FRAME = 16 * 1024
/** Data values at least this large are encrypted from the source buffer (no staging copy). */
const LARGE_VALUE = 4 * 1024

const DATA_TYPE = 9

export class FrameEncoder {
  private cipher: StreamCipher | null = null
  private slab: Buffer = Buffer.allocUnsafe(0)
  private start = 0
  private used = 0
  private readonly push: (buf: Buffer) => boolean

  constructor(push: (buf: Buffer) => boolean) {
    this.push = push
  }

  /** From now on every byte is XORed with this keystream (set once, after the handshake). */
  setCipher(cipher: StreamCipher | null): void {
    this.cipher = cipher
  }

  /** Bytes encoded but not yet pushed. */
  get pending(): number {
    return this.used - this.start
  }

  /** Encodes one frame: varint(L) ‖ varint(channel << 4 | type) ‖ body. */
  write<I>(channel: number, type: number, codec: MessageCodec<I, unknown>, message: I): void {
    const bodyLength = codec.encodingLength(message)
    const header = channel * 16 + type
    const length = varintLength(header) + bodyLength
    const total = varintLength(length) + length
    if (total >= LARGE_FRAME) {
      this.flush()
      const buf = Buffer.allocUnsafe(total)
      let offset = writeVarint(buf, 0, length)
      offset = writeVarint(buf, offset, header)
      codec.encode(message, buf, offset)
      if (this.cipher !== null) this.cipher.update(buf, buf)
      this.push(buf)
      return
    }
    const buf = this.reserve(total)
    let offset = writeVarint(buf, this.used, length)
    offset = writeVarint(buf, offset, header)
    this.used = codec.encode(message, buf, offset)
  }

  /** The Data hot path: large values skip the staging copy. */
  writeData(channel: number, message: DataInput, codec: MessageCodec<DataInput, unknown>): void {
    const value = message.value
    if (!isSet(value) || value.byteLength < LARGE_VALUE) {
      this.write(channel, DATA_TYPE, codec, message)
      return
    }
    const headLength = dataHeadLength(message)
    const tailLength = dataTailLength(message)
    const header = channel * 16 + DATA_TYPE
    const length = varintLength(header) + headLength + value.byteLength + tailLength
    const total = varintLength(length) + length

    this.flush()
    const buf = Buffer.allocUnsafe(total)
    let offset = writeVarint(buf, 0, length)
    offset = writeVarint(buf, offset, header)
    const valueStart = encodeDataHead(message, buf, offset)
    const valueEnd = valueStart + value.byteLength
    encodeDataTail(message, buf, valueEnd)
    const cipher = this.cipher
    if (cipher === null) {
      buf.set(value, valueStart)
    } else {
      // Keystream order is byte order: head in place, value from source, tail in place.
      const head = buf.subarray(0, valueStart)
      cipher.update(head, head)
      cipher.update(buf.subarray(valueStart, valueEnd), value)
      const tail = buf.subarray(valueEnd)
      cipher.update(tail, tail)
    }
    this.push(buf)
  }

  /** A keep-alive: the single byte 00 (encrypted like everything else). */
  writeKeepAlive(): void {
    const buf = this.reserve(1)
    buf[this.used++] = 0
  }

  /** Encrypts and pushes everything encoded so far; returns the push result. */
  flush(): boolean {
    if (this.used === this.start) return true
    const region = this.slab.subarray(this.start, this.used)
    this.start = this.used
    if (this.cipher !== null) this.cipher.update(region, region)
    return this.push(region)
  }

  /** Room for `n` bytes at `this.used`; flushes and starts a new slab when full. */
  private reserve(n: number): Buffer {
    if (this.slab.byteLength - this.used < n) {
      this.flush()
      // The pushed regions keep the old slab alive until consumed; a new one is never shared
      // with bytes still being written.
      this.slab = Buffer.allocUnsafe(SLAB_SIZE)
      this.start = 0
      this.used = 0
    }
    return this.slab
  }
}
