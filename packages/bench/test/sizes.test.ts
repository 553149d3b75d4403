import { describe, expect, it } from 'vitest'
import { scaleFactor, scaled } from '../src/sizes.js'

describe('sizes', () => {
  it('uses the issue sizes by default', () => {
    expect(scaleFactor({})).toBe(1)
    expect(scaled(100_000, 1, {})).toBe(100_000)
  })

  it('scales down 10x with BENCH_QUICK=1', () => {
    expect(scaled(100_000, 1, { BENCH_QUICK: '1' })).toBe(10_000)
  })

  it('prefers an explicit BENCH_SCALE and ignores a malformed one', () => {
    expect(scaled(100_000, 1, { BENCH_SCALE: '0.5', BENCH_QUICK: '1' })).toBe(50_000)
    expect(scaleFactor({ BENCH_SCALE: 'fast' })).toBe(1)
    expect(scaleFactor({ BENCH_SCALE: '-2' })).toBe(1)
  })

  it('never goes below the minimum', () => {
    expect(scaled(1000, 100, { BENCH_SCALE: '0.001' })).toBe(100)
  })
})
