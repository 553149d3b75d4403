import { describe, expect, it } from 'vitest'
import { ArgumentError, DEFAULT_RUNS, parseArgs } from '../src/args.js'

describe('parseArgs', () => {
  it('defaults to every workload, three runs and both implementations', () => {
    expect(parseArgs([])).toEqual({
      workloads: [],
      runs: DEFAULT_RUNS,
      impls: ['originals', 'ours'],
      list: false,
      help: false,
    })
    expect(DEFAULT_RUNS).toBeGreaterThanOrEqual(3)
  })

  it('collects workload names in order', () => {
    expect(parseArgs(['hypercore-append', 'trie-get']).workloads).toEqual([
      'hypercore-append',
      'trie-get',
    ])
  })

  it('reads --runs and --impl as separate or inline values', () => {
    const args = parseArgs(['--runs', '5', 'dht-lookup', '--impl=originals'])
    expect(args.runs).toBe(5)
    expect(args.impls).toEqual(['originals'])
    expect(args.workloads).toEqual(['dht-lookup'])
    expect(parseArgs(['--runs=7', '--impl', 'ours,originals']).impls).toEqual(['ours', 'originals'])
  })

  it('sets --list and --help', () => {
    expect(parseArgs(['--list']).list).toBe(true)
    expect(parseArgs(['-h']).help).toBe(true)
  })

  it('rejects bad values and unknown options with ArgumentError', () => {
    for (const argv of [
      ['--runs', '0'],
      ['--runs', 'x'],
      ['--runs', '1.5'],
      ['--runs'],
      ['--impl', 'theirs'],
      ['--impl', ''],
      ['--fast'],
    ]) {
      expect(() => parseArgs(argv), argv.join(' ')).toThrow(ArgumentError)
    }
  })
})
