// The run-length encoding of Have bitfields against bitfield-rle@2 (what hypercore@9 sends and
// reads): the same bytes from the same bitfield, and each side decodes the other's.
import { createRequire } from 'node:module'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeRle, encodeRle } from '../../src/index.js'

interface BitfieldRle {
  encode(bitfield: Uint8Array): Buffer
  decode(encoded: Uint8Array): Buffer
}
const hypercore9 = createRequire(import.meta.url).resolve('hypercore')
const original = createRequire(hypercore9)('bitfield-rle').align(4) as BitfieldRle

/** Bitfields as Haves carry them: long runs of 0x00 and 0xff between mixed bytes. */
const bitfields = fc
  .array(
    fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 40 }),
      fc.nat(3000).map((n) => new Uint8Array(n)),
      fc.nat(3000).map((n) => new Uint8Array(n).fill(255)),
    ),
    { maxLength: 8 },
  )
  .map((parts) => Buffer.concat(parts))

describe('bitfield-rle, against bitfield-rle@2', () => {
  it('encodes every bitfield to the same bytes, and each side decodes the other', () => {
    fc.assert(
      fc.property(bitfields, (bits) => {
        const ours = encodeRle(bits)
        expect(ours.equals(original.encode(bits))).toBe(true)
        expect(original.decode(ours).equals(decodeRle(ours))).toBe(true)
        expect(decodeRle(original.encode(bits)).equals(original.decode(ours))).toBe(true)
      }),
      { numRuns: 300 },
    )
  })
})
