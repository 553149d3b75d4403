// RemoteBitfield against a bit-by-bit model, and what hostile announcements cost it.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeRle } from '../src/bitfield-rle.js'
import { rleRuns } from '../src/bitfield-rle.js'
import { MAX_REMOTE_INDEX, RemoteBitfield } from '../src/remote-bitfield.js'

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

const PAGE = 8192
/** Past every bit the operations below can set (a run of Have bytes reaches 120,960). */
const END = 16 * PAGE

/** Operations as peers cause them, over a few pages (ranges cross and cover whole pages). */
const operation = fc.oneof(
  fc.record({
    kind: fc.constant('range' as const),
    start: fc.nat(6 * PAGE),
    length: fc.nat(3 * PAGE),
    value: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('set' as const), start: fc.nat(7 * PAGE), value: fc.boolean() }),
  fc.record({
    kind: fc.constant('runs' as const),
    start: fc.nat(5 * 1024).map((n) => 8 * n),
    bits: fc
      .array(
        fc.oneof(
          fc.uint8Array({ minLength: 1, maxLength: 8 }),
          fc.nat(2500).map((n) => new Uint8Array(n).fill(255)),
          fc.nat(2500).map((n) => new Uint8Array(n)),
        ),
        { maxLength: 4 },
      )
      .map((parts) => Buffer.concat(parts)),
  }),
)

describe('RemoteBitfield', () => {
  it('agrees with a bit-by-bit model on get and next, whatever announcements came', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 12 }), fc.nat(8 * PAGE), (ops, from) => {
        const field = new RemoteBitfield()
        const model = new Set<number>()
        for (const op of ops) {
          if (op.kind === 'range') {
            field.setRange(op.start, op.length, op.value)
            for (let i = op.start; i < op.start + op.length; i++) {
              if (op.value) model.add(i)
              else model.delete(i)
            }
          } else if (op.kind === 'set') {
            field.set(op.start, op.value)
            if (op.value) model.add(op.start)
            else model.delete(op.start)
          } else {
            const last = field.applyRuns(rleRuns(encodeRle(op.bits)), op.start)
            expect(last).toBe(modelFill(model, op.bits, op.start))
          }
        }
        // (counted, not an expect per bit: those would take minutes)
        let wrong = 0
        for (let i = 0; i < END; i++) if (field.get(i) !== model.has(i)) wrong++
        expect(wrong).toBe(0)
        const sorted = [...model].filter((i) => i >= from).sort((a, b) => a - b)
        expect(field.next(from, END, () => true)).toBe(sorted[0] ?? -1)
        const odd = sorted.find((i) => i % 2 === 1) ?? -1
        expect(field.next(from, END, (i) => i % 2 === 1)).toBe(odd)
      }),
      { numRuns: 100 },
    )
  })

  it('holds a Have of 2^40 blocks as a run, and clears it the same way', () => {
    const field = new RemoteBitfield()
    field.setRange(0, MAX_REMOTE_INDEX - 1, true)
    expect(field.storedPages).toBeLessThanOrEqual(1)
    expect(field.get(0) && field.get(2 ** 39 + 12345) && field.get(MAX_REMOTE_INDEX - 2)).toBe(true)
    expect(field.get(MAX_REMOTE_INDEX - 1)).toBe(false)
    field.setRange(1, MAX_REMOTE_INDEX - 3, false)
    expect(field.storedPages).toBeLessThanOrEqual(2)
    expect([
      field.get(0),
      field.get(1),
      field.get(2 ** 39),
      field.get(MAX_REMOTE_INDEX - 2),
    ]).toEqual([true, false, false, true])
  })

  it('jumps over a gap of 2^39 blocks page by page, not block by block', () => {
    const field = new RemoteBitfield()
    field.set(0, true)
    field.setRange(2 ** 39, 3, true)
    let asked = 0
    const want = () => {
      asked++
      return true
    }
    expect(field.next(1, MAX_REMOTE_INDEX, want)).toBe(2 ** 39)
    expect(asked).toBe(1)
    expect(field.next(2 ** 39 + 3, MAX_REMOTE_INDEX, want)).toBe(-1)
  })

  it('refuses announcements over its page budget with ERR_INVALID_MESSAGE', () => {
    const field = new RemoteBitfield(100)
    for (let p = 0; p < 100; p++) field.fill(Uint8Array.of(128), p * PAGE)
    expect(() => field.fill(Uint8Array.of(128), 100 * PAGE)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_MESSAGE' }),
    )
    expect(() => field.setRange(100 * PAGE + 1, 5, true)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_MESSAGE' }),
    )
    // blocks we sent or received are ours to record, budget or not
    field.set(200 * PAGE, true)
    expect(field.get(200 * PAGE)).toBe(true)
  })
})
