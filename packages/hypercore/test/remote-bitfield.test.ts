// RemoteBitfield.fill: the byte-wise path (byte-aligned starts) against a bit-by-bit model.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RemoteBitfield } from '../src/remote-bitfield.js'

function modelFill(model: Set<number>, bits: Uint8Array, start: number): number {
  let last = -1
  for (let byte = 0; byte < bits.length; byte++) {
    for (let k = 0; k < 8; k++) {
      if (bits[byte] & (128 >> k)) {
        model.add(start + 8 * byte + k)
        last = start + 8 * byte + k
      }
    }
  }
  return last
}

describe('RemoteBitfield.fill', () => {
  it('sets exactly the bits a bit-by-bit fill sets and returns the highest', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            bits: fc.uint8Array({ maxLength: 1100 }),
            start: fc.oneof(
              fc.nat(20000).map((n) => n * 8),
              fc.nat(160000),
            ),
          }),
          { maxLength: 4 },
        ),
        fc.array(fc.nat(170000), { maxLength: 20 }),
        (fills, ranges) => {
          const field = new RemoteBitfield()
          const model = new Set<number>()
          // whole pages set at once (FULL) must be copied before a fill writes into them
          field.setRange(8192, 8192, true)
          for (let i = 8192; i < 16384; i++) model.add(i)
          for (const { bits, start } of fills) {
            expect(field.fill(bits, start)).toBe(modelFill(model, bits, start))
          }
          for (const i of ranges) expect(field.get(i)).toBe(model.has(i))
          let missing = 0
          for (const i of model) if (!field.get(i)) missing++
          expect(missing).toBe(0)
        },
      ),
      { numRuns: 100 },
    )
  })

  it('fills a whole 4096-block have with the right last index', () => {
    const field = new RemoteBitfield()
    expect(field.fill(new Uint8Array(512).fill(255), 0)).toBe(4095)
    expect(field.get(0) && field.get(4095) && !field.get(4096)).toBe(true)
    expect(field.fill(Uint8Array.of(0b00100000), 16)).toBe(18)
  })
})
