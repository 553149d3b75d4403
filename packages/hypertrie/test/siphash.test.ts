// Our JS SipHash-2-4 against sodium's crypto_shorthash (what hypertrie@5 hashes key components
// with), over random byte ranges of every length around the 8-byte word boundaries.
import fc from 'fast-check'
import sodium from 'sodium-native'
import { describe, expect, it } from 'vitest'
import { hashComponents, hashKey, hashKeyBytes, splitKey } from '../src/path-hash.js'
import { sipHashInto } from '../src/siphash.js'

const ZERO_KEY = Buffer.alloc(16)

function sodiumHash(bytes: Uint8Array): Buffer {
  const out = Buffer.alloc(8)
  sodium.crypto_shorthash(out, bytes, ZERO_KEY)
  return out
}

describe('sipHashInto', () => {
  it('equals crypto_shorthash with the zero key for every length up to 80', () => {
    const src = Buffer.alloc(100)
    for (let i = 0; i < src.length; i++) src[i] = (i * 73 + 11) & 255
    for (let n = 0; n <= 80; n++) {
      const out = Buffer.alloc(12)
      sipHashInto(src, 5, 5 + n, out, 3)
      expect(out.subarray(3, 11)).toEqual(sodiumHash(src.subarray(5, 5 + n)))
    }
  })

  it('equals crypto_shorthash on random ranges', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(8), (bytes, pad) => {
        const src = new Uint8Array(pad + bytes.length)
        src.set(bytes, pad)
        const out = new Uint8Array(8)
        sipHashInto(src, pad, pad + bytes.length, out, 0)
        expect(Buffer.from(out)).toEqual(sodiumHash(bytes))
      }),
      { numRuns: 300 },
    )
  })
})

describe('hashKey', () => {
  it('is the per-component crypto_shorthash of splitKey, from a string or in place', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom('/', 'a', 'é', '\u{1F600}'), fc.string()), {
          maxLength: 8,
        }),
        (parts) => {
          const key = parts.join('')
          const expected = Buffer.concat(splitKey(key).map((c) => sodiumHash(Buffer.from(c))))
          expect(Buffer.from(hashKey(key), 'latin1')).toEqual(expected)
          expect(Buffer.from(hashComponents(splitKey(key)))).toEqual(expected)
          const bytes = Buffer.concat([Buffer.from('xx'), Buffer.from(key), Buffer.from('yy')])
          const inPlace = hashKeyBytes(bytes, 2, bytes.length - 2)
          expect(Buffer.from(inPlace, 'latin1')).toEqual(expected)
        },
      ),
      { numRuns: 300 },
    )
  })
})
