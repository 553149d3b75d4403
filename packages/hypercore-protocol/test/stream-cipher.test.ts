// The transport cipher: our Salsa20-with-precomputed-subkey keystream equals libsodium's
// XSalsa20 (crypto_stream_xor) byte for byte, across any split of the stream into chunks.
import fc from 'fast-check'
import sodium from 'sodium-native'
import { describe, expect, it } from 'vitest'
import { hsalsa20 } from '../src/hsalsa20.js'
import { StreamCipher } from '../src/stream-cipher.js'

function xsalsa20(message: Buffer, nonce: Buffer, key: Buffer): Buffer {
  const out = Buffer.alloc(message.byteLength)
  sodium.crypto_stream_xor(out, message, nonce, key)
  return out
}

describe('hsalsa20', () => {
  it('matches the subkey XSalsa20 uses (Salsa20 under it equals XSalsa20)', () => {
    const key = Buffer.alloc(32)
    const nonce = Buffer.alloc(24)
    for (let i = 0; i < 32; i++) key[i] = i * 7 + 1
    for (let i = 0; i < 24; i++) nonce[i] = 255 - i * 3
    const zeros = Buffer.alloc(200)
    const viaSubkey = Buffer.alloc(200)
    sodium.crypto_stream_salsa20_xor(viaSubkey, zeros, nonce.subarray(16), hsalsa20(key, nonce))
    expect(viaSubkey.toString('hex')).toBe(xsalsa20(zeros, nonce, key).toString('hex'))
  })

  it('gives the NaCl stream3 known answer (first 32 keystream bytes for firstkey/nonce)', () => {
    const firstkey = Buffer.from(
      '1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389',
      'hex',
    )
    const nonce = Buffer.from('69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37', 'hex')
    const cipher = new StreamCipher(nonce, firstkey)
    const out = Buffer.alloc(32)
    cipher.update(out, Buffer.alloc(32))
    expect(out.toString('hex')).toBe(
      'eea6a7251c1e72916d11c2cb214d3c252539121d8e234e652d651fa4c8cff880',
    )
  })
})

describe('StreamCipher', () => {
  it('equals one-shot XSalsa20 for any split into chunks, in place or not', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 24, maxLength: 24 }),
        fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 20 }),
        fc.boolean(),
        (key, nonce, sizes, inPlace) => {
          const total = sizes.reduce((a, b) => a + b, 0)
          const message = Buffer.alloc(total)
          for (let i = 0; i < total; i++) message[i] = (i * 31) & 255
          const expected = xsalsa20(message, Buffer.from(nonce), Buffer.from(key))
          const cipher = new StreamCipher(nonce, key)
          const out = inPlace ? Buffer.from(message) : Buffer.alloc(total)
          let offset = 0
          for (const size of sizes) {
            const input = (inPlace ? out : message).subarray(offset, offset + size)
            cipher.update(out.subarray(offset, offset + size), input)
            offset += size
          }
          cipher.destroy()
          expect(out.equals(expected)).toBe(true)
        },
      ),
      { numRuns: 200 },
    )
  })

  it('carries the keystream across a large chunk (64 KiB + odd offsets)', () => {
    const key = Buffer.alloc(32, 9)
    const nonce = Buffer.alloc(24, 4)
    const message = Buffer.alloc(3 * 65536 + 11, 0xa5)
    const cipher = new StreamCipher(nonce, key)
    const out = Buffer.alloc(message.byteLength)
    const cuts = [0, 5, 65541, 65541, 131077, message.byteLength]
    for (let i = 1; i < cuts.length; i++) {
      cipher.update(out.subarray(cuts[i - 1], cuts[i]), message.subarray(cuts[i - 1], cuts[i]))
    }
    expect(out.equals(xsalsa20(message, nonce, key))).toBe(true)
  })
})
