import { describe, expect, it } from 'vitest'
import { higher, isMetric } from '../src/metric.js'
import { UnknownImplementationError, defineWorkload } from '../src/workload.js'
import { WORKLOADS, findWorkload } from '../src/workloads/index.js'

describe('defineWorkload', () => {
  const workload = defineWorkload<{ value: number }>({
    name: 'demo',
    description: 'demo',
    cases: ['only'],
    adapters: { originals: async () => ({ value: 7 }) },
    async run(adapter) {
      return [higher('value', adapter.value, 'n')]
    },
  })

  it('lists the implementations that have an adapter', () => {
    expect(workload.impls).toEqual(['originals'])
    expect(workload.hasPrepare).toBe(false)
  })

  it('runs through the adapter of the implementation asked for', async () => {
    expect(await workload.run('originals', { caseName: 'only', dir: '/tmp' })).toEqual([
      higher('value', 7, 'n'),
    ])
    expect(await workload.prepare('originals', { caseName: 'only', dir: '/tmp' })).toEqual([])
  })

  it('fails with a typed error for an implementation without an adapter', async () => {
    await expect(workload.run('ours', { caseName: 'only', dir: '/tmp' })).rejects.toBeInstanceOf(
      UnknownImplementationError,
    )
  })
})

describe('the registry', () => {
  it('has unique names, and every runnable workload an originals adapter', () => {
    const names = WORKLOADS.map((w) => w.name)
    expect(new Set(names).size).toBe(names.length)
    for (const w of WORKLOADS) {
      if (w.skipReason !== undefined) expect(w.skipReason.length, w.name).toBeGreaterThan(20)
      else expect(w.impls, w.name).toContain('originals')
      expect(w.cases.length, w.name).toBeGreaterThan(0)
    }
  })

  it('runs the original swarm (hyperswarm@2 binds every interface) only in a network namespace', () => {
    for (const name of ['swarm-connect', 'share-clone']) {
      const w = findWorkload(name)
      expect(w?.impls, name).toEqual(['originals', 'ours'])
      expect(w?.networkNamespace, name).toEqual(['originals'])
    }
    // Nothing else is isolated: every other workload runs on 127.0.0.1 in the host's network.
    const isolated = WORKLOADS.filter((w) => w.networkNamespace.length > 0).map((w) => w.name)
    expect(isolated.sort()).toEqual(['share-clone', 'swarm-connect'])
  })

  it('holds every workload the issues name', () => {
    for (const name of [
      'hypercore-append',
      'hypercore-replicate',
      'hypercore-sparse-get',
      'protocol-throughput',
      'trie-put',
      'trie-get',
      'trie-list',
      'trie-iterate',
      'trie-remote-get',
      'drive-small-files',
      'drive-big-file',
      'drive-sparse-range',
      'drive-readdir-100k',
      'drive-cold-open',
      'drive-scale',
      'dht-lookup',
      'swarm-connect',
      'share-clone',
    ]) {
      expect(findWorkload(name)?.name).toBe(name)
    }
    expect(findWorkload('nope')).toBeUndefined()
  })
})

describe('isMetric', () => {
  it('accepts a metric and rejects malformed ones', () => {
    expect(isMetric(higher('x', 1, 'u'))).toBe(true)
    expect(isMetric({ name: 'x', value: '1', unit: 'u', better: 'higher' })).toBe(false)
    expect(isMetric({ name: 'x', value: 1, unit: 'u', better: 'sideways' })).toBe(false)
    expect(isMetric(null)).toBe(false)
  })
})
