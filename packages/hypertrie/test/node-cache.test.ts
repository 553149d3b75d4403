import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { NodeCache } from '../src/node-cache.js'
import { NodeSource } from '../src/node-source.js'
import { TrieNode } from '../src/trie-node.js'
import { newCore } from './helpers/cores.js'

const node = (seq: number): TrieNode => new TrieNode(`k${seq}`, null, 0, seq, [], null)

describe('NodeCache', () => {
  it('keeps at most size nodes and gives a recently used node a second chance', () => {
    const cache = new NodeCache(4)
    for (let s = 1; s <= 4; s++) cache.set(s, node(s))
    expect(cache.full).toBe(true)
    expect(cache.get(1)?.seq).toBe(1)
    cache.set(5, node(5))
    // One of the nodes not used since they were cached made room; the used one stayed.
    const held = [1, 2, 3, 4, 5].filter((s) => cache.get(s) !== undefined)
    expect(held).toHaveLength(4)
    expect(held).toContain(1)
    expect(held).toContain(5)
  })

  it('agrees with a model over random sets, gets and evictions, far apart seqs included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(
          fc.tuple(
            fc.boolean(),
            fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 2 ** 31 - 1 })),
          ),
          { maxLength: 400 },
        ),
        (size, ops) => {
          const cache = new NodeCache(size)
          // What was last set for each seq; the cache holds a subset of it, at most `size`.
          const model = new Map<number, TrieNode>()
          for (const [isSet, seq] of ops) {
            if (isSet) {
              const n = node(seq)
              cache.set(seq, n)
              model.set(seq, n)
              expect(cache.get(seq)).toBe(n) // the node just set is always held
            } else {
              const got = cache.get(seq)
              if (got !== undefined) expect(got).toBe(model.get(seq))
            }
          }
          const held = [...model.keys()].filter((seq) => cache.get(seq) !== undefined)
          expect(held.length).toBe(Math.min(size, model.size))
          expect(cache.full).toBe(model.size >= size)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('stays consistent through growth and many evictions in a crowded table', () => {
    fc.assert(
      fc.property(fc.integer({ min: 500, max: 1500 }), fc.integer(), (size, seed) => {
        const cache = new NodeCache(size)
        const model = new Map<number, TrieNode>()
        let x = seed >>> 0 || 1
        for (let k = 0; k < 6000; k++) {
          x = (Math.imul(x, 1103515245) + 12345) >>> 0
          const seq = x % 4000
          if (k % 3 === 2) {
            const got = cache.get(seq)
            if (got !== undefined) expect(got).toBe(model.get(seq))
            continue
          }
          const n = node(seq)
          cache.set(seq, n)
          model.set(seq, n)
        }
        let held = 0
        for (const [seq, n] of model) {
          const got = cache.get(seq)
          if (got === undefined) continue
          expect(got).toBe(n)
          held++
        }
        expect(held).toBe(Math.min(size, model.size))
      }),
      { numRuns: 20 },
    )
  })

  it('replaces a cached seq without evicting, spans pages, and clears', () => {
    const cache = new NodeCache(3)
    cache.set(7, node(7))
    cache.set(7, node(8))
    cache.set(5000, node(5000))
    cache.set(1_000_000, node(1_000_000))
    expect(cache.get(7)?.seq).toBe(8)
    expect(cache.get(5000)?.seq).toBe(5000)
    expect(cache.get(1_000_000)?.seq).toBe(1_000_000)
    cache.clear()
    expect(cache.get(7)).toBeUndefined()
  })
})

describe('NodeSource reads from feed memory', () => {
  it('decodes blocks the feed holds without evicting cached nodes to keep them', () => {
    const blocks = new Map<number, Buffer>()
    for (let s = 1; s <= 10; s++) {
      blocks.set(s, new TrieNode(`dir/k${s}`, Buffer.from(`v${s}`), 0, s, [], null).encode())
    }
    // one window holding every block back to back, served in place
    const window = Buffer.concat([...blocks.values()])
    const ends: number[] = []
    let at = 0
    for (const b of blocks.values()) ends.push((at += b.length))
    const core = newCore()
    const feed = Object.assign(Object.create(core) as typeof core, {
      getCachedSpan(index: number, span: { start: number; end: number }) {
        span.start = index === 1 ? 0 : ends[index - 2]
        span.end = ends[index - 1]
        return window
      },
    })
    const cache = new NodeCache(4)
    cache.set(100, node(100))
    const src = new NodeSource(feed, cache, null)
    for (let s = 1; s <= 10; s++) {
      const n = src.read(s)
      if (n === null || n instanceof Promise) throw new Error('expected a node at once')
      expect(n.key).toBe(`dir/k${s}`)
      expect(n.valueBuffer?.toString()).toBe(`v${s}`)
    }
    // the cache took nodes while it had room, then stopped: nothing was evicted for them
    expect(cache.full).toBe(true)
    expect(cache.get(100)?.seq).toBe(100)
    expect([1, 2, 3].map((s) => cache.get(s)?.seq)).toEqual([1, 2, 3])
    expect(cache.get(4)).toBeUndefined()
  })
})
