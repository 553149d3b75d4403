// A bounded cache of decoded nodes keyed by seq, shared by a trie and its checkouts. Two
// generations of Maps (new entries in `young`, survivors promoted from `old`) give LRU-like
// eviction without per-hit reordering.
import type { TrieNode } from './trie-node.js'

export const DEFAULT_CACHE_SIZE = 32768

export class NodeCache {
  private young = new Map<number, TrieNode>()
  private old = new Map<number, TrieNode>()
  private readonly half: number

  constructor(size = DEFAULT_CACHE_SIZE) {
    this.half = Math.max(1, Math.floor(size / 2))
  }

  get(seq: number): TrieNode | undefined {
    const hit = this.young.get(seq)
    if (hit !== undefined) return hit
    const old = this.old.get(seq)
    if (old !== undefined) this.set(seq, old)
    return old
  }

  set(seq: number, node: TrieNode): void {
    if (this.young.size >= this.half) {
      this.old = this.young
      this.young = new Map()
    }
    this.young.set(seq, node)
  }

  clear(): void {
    this.young.clear()
    this.old.clear()
  }
}
