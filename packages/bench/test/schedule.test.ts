import { describe, expect, it } from 'vitest'
import { schedule } from '../src/schedule.js'

describe('schedule', () => {
  it('interleaves implementations run by run within each case', () => {
    const order = schedule(['a', 'b'], ['originals', 'ours'], 3).map(
      ({ caseName, run, impl }) => `${caseName}${run}${impl === 'ours' ? 'u' : 'o'}`,
    )
    expect(order).toEqual([
      'a0o',
      'a0u',
      'a1o',
      'a1u',
      'a2o',
      'a2u',
      'b0o',
      'b0u',
      'b1o',
      'b1u',
      'b2o',
      'b2u',
    ])
  })

  it('runs only the originals when ours is absent', () => {
    expect(schedule(['x'], ['originals'], 3).map((s) => s.impl)).toEqual([
      'originals',
      'originals',
      'originals',
    ])
  })
})
