// bitfield-rle@2: the run-length encoding of bitfields in Have messages (hypercore@9's compress).
import { varint } from './commonjs.js'
import { InvalidMessageError } from './errors.js'

/** Decoded bitfields larger than this are refused (a hostile peer could claim any size). */
export const MAX_RLE_DECODED_BYTES = 64 * 1024 * 1024

function pushVarint(out: number[], n: number): void {
  const bytes = varint.encode(n)
  for (let i = 0; i < bytes.length; i++) out.push(bytes[i])
}

/** Encodes like bitfield-rle: trailing zero bytes dropped, runs of 00/ff replaced where shorter. */
export function encodeRle(bitfield: Uint8Array): Buffer {
  let inputLength = bitfield.length
  while (inputLength > 0 && !bitfield[inputLength - 1]) inputLength--
  const out: number[] = []
  let inputOffset = 0

  const encodeHead = (end: number) => {
    const headLength = end - inputOffset
    pushVarint(out, 2 * headLength)
    for (let i = inputOffset; i < end; i++) out.push(bitfield[i])
  }
  const update = (i: number, len: number, bit: number) => {
    const headLength = i - len - inputOffset
    const headCost = headLength ? varint.encodingLength(2 * headLength) + headLength : 0
    const enc = 4 * len + (bit ? 2 : 0) + 1
    const encCost = headCost + varint.encodingLength(enc)
    const baseCost = varint.encodingLength(2 * (i - inputOffset)) + i - inputOffset
    if (encCost >= baseCost) return
    if (headLength) encodeHead(i - len)
    pushVarint(out, enc)
    inputOffset = i
  }

  let len = 0
  let bits = 0
  for (let i = 0; i < inputLength; i++) {
    if (bitfield[i] === bits) {
      len++
      continue
    }
    if (len) update(i, len, bits)
    if (bitfield[i] === 0 || bitfield[i] === 255) {
      bits = bitfield[i]
      len = 1
    } else {
      len = 0
    }
  }
  if (len) update(inputLength, len, bits)
  if (inputLength - inputOffset) encodeHead(inputLength)
  return Buffer.from(out)
}

/** One run of a decoded bitfield: `length` bytes of zeros, of ones, or the bytes given. */
export type RleRun =
  | { kind: 'zeros' | 'ones'; length: number }
  | { kind: 'bytes'; length: number; bytes: Uint8Array }

/**
 * The runs of an encoded bitfield, without making its bytes (a few bytes of runs can name
 * gigabytes); throws when it is malformed or decodes to more than `maxBytes`.
 */
export function rleRuns(buf: Uint8Array, maxBytes = MAX_RLE_DECODED_BYTES): RleRun[] {
  let total = 0
  let offset = 0
  const runs: RleRun[] = []
  while (offset < buf.length) {
    let next: number
    try {
      next = varint.decode(buf, offset)
    } catch {
      throw new InvalidMessageError('Invalid RLE bitfield')
    }
    const read = varint.decode.bytes
    if (!read) throw new InvalidMessageError('Invalid RLE bitfield')
    offset += read
    let run: RleRun
    if (next & 1) run = { kind: next & 2 ? 'ones' : 'zeros', length: (next - (next & 3)) / 4 }
    else {
      const length = next / 2
      if (offset + length > buf.length) throw new InvalidMessageError('Invalid RLE bitfield')
      run = { kind: 'bytes', length, bytes: buf.subarray(offset, offset + length) }
      offset += length
    }
    runs.push(run)
    total += run.length
    if (total > maxBytes) throw new InvalidMessageError('RLE bitfield too large')
  }
  return runs
}

/** Decodes (output padded to a multiple of `align` bytes, as `rle.align(4)`); throws on bad input. */
export function decodeRle(buf: Uint8Array, align = 4): Buffer {
  const runs = rleRuns(buf)
  let total = 0
  for (const run of runs) total += run.length
  if (total % align) total += align - (total % align)
  const out = Buffer.alloc(total)
  let ptr = 0
  for (const run of runs) {
    if (run.kind === 'ones') out.fill(255, ptr, ptr + run.length)
    else if (run.kind === 'bytes') out.set(run.bytes, ptr)
    ptr += run.length
  }
  return out
}
