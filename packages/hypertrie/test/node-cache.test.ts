import { describe, expect, it } from 'vitest'
import { NodeCache } from '../src/node-cache.js'
import { TrieNode } from '../src/trie-node.js'

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
