import { describe, expect, it } from 'vitest'
import { higher, lower } from '../src/metric.js'
import {
  type Summary,
  formatNumber,
  formatRatio,
  formatTable,
  jsonLine,
  summarize,
} from '../src/report.js'

describe('summarize', () => {
  it('takes each metric median over runs, keeping unit, direction and first-seen order', () => {
    const runs = [
      [higher('throughput', 10, 'ops/s'), lower('latency', 3, 'ms')],
      [higher('throughput', 30, 'ops/s'), lower('latency', 1, 'ms')],
      [higher('throughput', 20, 'ops/s'), lower('latency', 2, 'ms')],
    ]
    expect(summarize('w', 'ours', runs)).toEqual([
      {
        workload: 'w',
        impl: 'ours',
        metric: 'throughput',
        median: 20,
        unit: 'ops/s',
        better: 'higher',
      },
      { workload: 'w', impl: 'ours', metric: 'latency', median: 2, unit: 'ms', better: 'lower' },
    ])
  })

  it('rounds medians to six significant digits', () => {
    const [s] = summarize('w', 'originals', [[higher('x', 1 / 3, 'u')]])
    expect(s.median).toBe(0.333333)
  })
})

describe('jsonLine', () => {
  it('prints exactly the five documented fields', () => {
    const summary: Summary = {
      workload: 'hypercore-append',
      impl: 'originals',
      metric: 'ram-single.throughput',
      median: 42000,
      unit: 'blocks/s',
      better: 'higher',
    }
    const line = jsonLine(summary)
    expect(line).not.toContain('\n')
    expect(JSON.parse(line)).toEqual({
      workload: 'hypercore-append',
      impl: 'originals',
      metric: 'ram-single.throughput',
      median: 42000,
      unit: 'blocks/s',
    })
    expect(Object.keys(JSON.parse(line))).toEqual(['workload', 'impl', 'metric', 'median', 'unit'])
  })
})

describe('formatRatio and formatNumber', () => {
  it('divides ours by originals', () => {
    expect(formatRatio(30, 10)).toBe('3.00x')
    expect(formatRatio(1, 4)).toBe('0.25x')
  })

  it('is n/a when a side is missing, not finite or the base is zero', () => {
    expect(formatRatio(undefined, 10)).toBe('n/a')
    expect(formatRatio(10, undefined)).toBe('n/a')
    expect(formatRatio(10, 0)).toBe('n/a')
    expect(formatRatio(Number.NaN, 1)).toBe('n/a')
  })

  it('shows about four significant digits and "-" for a missing value', () => {
    expect(formatNumber(123456.7)).toBe('123457')
    expect(formatNumber(0.0123456)).toBe('0.01235')
    expect(formatNumber(0)).toBe('0')
    expect(formatNumber(undefined)).toBe('-')
  })
})

describe('formatTable', () => {
  const row = (impl: 'ours' | 'originals', metric: string, median: number): Summary => ({
    workload: 'w',
    impl,
    metric,
    median,
    unit: metric === 'rate' ? 'ops/s' : 'ms',
    better: metric === 'rate' ? 'higher' : 'lower',
  })

  it('puts originals beside ours with the ratio and the better direction', () => {
    const table = formatTable([
      row('originals', 'rate', 100),
      row('originals', 'time', 8),
      row('ours', 'rate', 250),
      row('ours', 'time', 2),
    ])
    const lines = table.split('\n')
    expect(lines[0].split(/\s+/)).toEqual([
      'workload',
      'metric',
      'unit',
      'better',
      'originals',
      'ours',
      'ours/originals',
    ])
    expect(lines[1]).toMatch(/^-+( +-+){6}$/)
    expect(lines[2].split(/\s+/)).toEqual(['w', 'rate', 'ops/s', 'higher', '100', '250', '2.50x'])
    expect(lines[3].split(/\s+/)).toEqual(['w', 'time', 'ms', 'lower', '8', '2', '0.25x'])
    expect(table).toContain('better=lower: below 1.00x is better')
  })

  it('still prints with only the originals, the ratio being n/a', () => {
    const lines = formatTable([row('originals', 'rate', 100)]).split('\n')
    expect(lines[2].split(/\s+/)).toEqual(['w', 'rate', 'ops/s', 'higher', '100', '-', 'n/a'])
  })

  it('prints the header alone when nothing ran', () => {
    expect(formatTable([]).split('\n')[0]).toMatch(/^workload +metric/)
  })
})
