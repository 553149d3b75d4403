// The direct-mapped tree-node cache: hits, collisions, growth.
import { describe, expect, it } from 'vitest'
import type { TreeNode } from '../src/crypto.js'
import { NodeCache } from '../src/node-cache.js'

const node = (index: number): TreeNode => ({
  index,
  hash: Buffer.alloc(32, index % 256),
  size: index,
})

describe('NodeCache', () => {
  it('returns what was set and nothing for other indexes sharing the slot', () => {
    const cache = new NodeCache(10)
    cache.set(node(5))
    expect(cache.get(5)?.size).toBe(5)
    expect(cache.get(5 + 1024)).toBeUndefined()
    cache.set(node(5 + 1024))
    expect(cache.get(5)).toBeUndefined()
    expect(cache.get(5 + 1024)?.size).toBe(5 + 1024)
  })

  it('grows while filling, keeping what it held, up to its bound', () => {
    const cache = new NodeCache(14)
    for (let i = 0; i < 40_000; i++) cache.set(node(i))
    // Grown to 2^14 slots: the last 16384 nodes are all there, older ones were replaced.
    for (let i = 40_000 - 16_384; i < 40_000; i++) expect(cache.get(i)?.index).toBe(i)
    expect(cache.get(40_000 - 16_385)).toBeUndefined()
  })
})
