// The Have bitfield encoding: round trips, runs read without making their bytes, hostile input.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { rleRuns } from '../src/bitfield-rle.js'
import { decodeRle, encodeRle } from '../src/index.js'
import { varintBytes } from './helpers.js'

describe('bitfield-rle', () => {
  it('decodes what it encodes, but for trailing zeros (padded to whole 4-byte words)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.nat(2000), (head, zeros) => {
        const bits = Buffer.concat([head, Buffer.alloc(zeros, 255), Buffer.from(head)])
        const decoded = decodeRle(encodeRle(bits))
        expect(decoded.length % 4).toBe(0)
        // trailing zero bytes are not sent: compare as if both ran on with zeros
        const length = Math.max(bits.length, decoded.length)
        const pad = (b: Buffer) => Buffer.concat([b, Buffer.alloc(length - b.length)])
        expect(pad(decoded).equals(pad(bits))).toBe(true)
      }),
    )
  })

  it('reads a run naming 2^36 bytes of ones as one run, without making them', () => {
    const encoded = varintBytes(4 * 2 ** 36 + 3)
    expect(rleRuns(encoded, 2 ** 37)).toEqual([{ kind: 'ones', length: 2 ** 36 }])
    // decodeRle would make them: over its limit, a typed error instead
    expect(() => decodeRle(encoded)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_MESSAGE' }),
    )
  })

  it('refuses truncated, unterminated and oversized input with ERR_INVALID_MESSAGE', () => {
    const invalid = { code: 'ERR_INVALID_MESSAGE' }
    // a literal of 4 bytes with 2 present
    expect(() => rleRuns(Buffer.from([8, 1, 2]))).toThrow(expect.objectContaining(invalid))
    // a varint whose last byte never comes
    expect(() => rleRuns(Buffer.from([0xff, 0xff]))).toThrow(expect.objectContaining(invalid))
    // runs adding up past the bound given
    expect(() => rleRuns(Buffer.from([4 * 100 + 1]), 99)).toThrow(expect.objectContaining(invalid))
  })

  it('never throws anything but ERR_INVALID_MESSAGE on random input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (input) => {
        try {
          rleRuns(input, 1 << 20)
        } catch (err) {
          expect(err).toMatchObject({ code: 'ERR_INVALID_MESSAGE' })
        }
      }),
    )
  })
})
