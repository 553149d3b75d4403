import { describe, expect, it } from 'vitest'
import { median, percentile } from '../src/stats.js'

describe('median', () => {
  it('takes the middle of an odd count regardless of order', () => {
    expect(median([9, 1, 5])).toBe(5)
  })

  it('averages the middle two of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5)
  })

  it('is NaN for no values and leaves its input unsorted', () => {
    expect(median([])).toBeNaN()
    const values = [3, 1, 2]
    median(values)
    expect(values).toEqual([3, 1, 2])
  })
})

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i)
    expect(percentile(values, 50)).toBe(50)
    expect(percentile(values, 99)).toBe(99)
    expect(percentile(values, 100)).toBe(100)
    expect(percentile(values, 0)).toBe(1)
  })

  it('works on typed arrays and is NaN when empty', () => {
    expect(percentile(new Float64Array([0.5, 0.25]), 50)).toBe(0.25)
    expect(percentile(new Float64Array(0), 50)).toBeNaN()
  })
})
