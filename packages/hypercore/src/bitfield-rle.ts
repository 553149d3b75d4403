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

/** Decodes (output padded to a multiple of `align` bytes, as `rle.align(4)`); throws on bad input. */
export function decodeRle(buf: Uint8Array, align = 4): Buffer {
  let total = 0
  let offset = 0
  const runs: [number, number, number][] = [] // [kind 0 literal/1 zeros/2 ones, length, literal offset]
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
    const repeat = next & 1
    const len = repeat ? (next - (next & 3)) / 4 : next / 2
    if (repeat) runs.push([next & 2 ? 2 : 1, len, 0])
    else {
      if (offset + len > buf.length) throw new InvalidMessageError('Invalid RLE bitfield')
      runs.push([0, len, offset])
      offset += len
    }
    total += len
    if (total > MAX_RLE_DECODED_BYTES) throw new InvalidMessageError('RLE bitfield too large')
  }
  if (total % align) total += align - (total % align)
  const out = Buffer.alloc(total)
  let ptr = 0
  for (const [kind, len, at] of runs) {
    if (kind === 2) out.fill(255, ptr, ptr + len)
    else if (kind === 0) out.set(buf.subarray(at, at + len), ptr)
    ptr += len
  }
  return out
}
