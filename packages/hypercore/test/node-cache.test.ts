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
    // 1024 slots: index 5 takes slot 5, and so does 1028 (1028 + one window, mod 1024).
    cache.set(node(5))
    expect(cache.get(5)?.size).toBe(5)
    expect(cache.get(1028)).toBeUndefined()
    cache.set(node(1028))
    expect(cache.get(5)).toBeUndefined()
    expect(cache.get(1028)?.size).toBe(1028)
  })

  it('grows while filling, keeping what it held, up to its bound', () => {
    const cache = new NodeCache(14)
    for (let i = 0; i < 40_000; i++) cache.set(node(i))
    // Grown to 2^14 slots: the newest 16383 nodes are all there. The run crosses one window
    // (at 32768), where its newest node took the slot of its oldest.
    for (let i = 40_000 - 16_383; i < 40_000; i++) expect(cache.get(i)?.index).toBe(i)
    expect(cache.get(40_000 - 16_384)).toBeUndefined()
  })

  it('keeps the nodes high in the tree apart, though their low index bits are all ones', () => {
    // Every random proof in a core of 2^16 blocks shares the 127 nodes of depth 10 and above.
    // Mapped by their low bits alone they would all take the last of the 1024 slots.
    const cache = new NodeCache(10)
    const upper: number[] = []
    for (let depth = 10; depth <= 16; depth++) {
      for (let offset = 0; offset < 2 ** (16 - depth); offset++) {
        upper.push(2 ** depth - 1 + offset * 2 ** (depth + 1))
      }
    }
    expect(upper).toHaveLength(127)
    for (const index of upper) cache.set(node(index))
    for (const index of upper) expect(cache.get(index)?.index).toBe(index)
  })
})
