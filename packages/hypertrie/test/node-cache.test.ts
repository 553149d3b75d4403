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
    expect(cache.get(1)?.seq).toBe(1)
    cache.set(5, node(5))
    expect(cache.get(2)).toBeUndefined()
    expect(cache.get(1)?.seq).toBe(1)
    expect([3, 4, 5].map((s) => cache.get(s)?.seq)).toEqual([3, 4, 5])
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
