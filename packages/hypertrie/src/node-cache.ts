// A bounded cache of decoded nodes keyed by seq, shared by a trie and its checkouts. Seqs are
// dense block indexes, so nodes live in pages of plain arrays indexed by seq (a lookup is two
// array reads, no hashing); eviction is CLOCK (second chance): a hit sets the node's bit, and
// the oldest insertion without its bit set is dropped once the cache is full.
import type { TrieNode } from './trie-node.js'

export const DEFAULT_CACHE_SIZE = 131072

const PAGE_BITS = 10
const PAGE_SIZE = 1 << PAGE_BITS
const PAGE_MASK = PAGE_SIZE - 1

interface Page {
  nodes: (TrieNode | undefined)[]
  used: Uint8Array
}

function newPage(): Page {
  return {
    nodes: new Array<TrieNode | undefined>(PAGE_SIZE).fill(undefined),
    used: new Uint8Array(PAGE_SIZE),
  }
}

export class NodeCache {
  private pages: (Page | undefined)[] = []
  private readonly size: number
  // insertion order of the cached seqs, as a ring of `size` slots starting at `head`
  private readonly ring: Float64Array
  private head = 0
  private count = 0

  constructor(size = DEFAULT_CACHE_SIZE) {
    this.size = Math.max(1, Math.floor(size))
    this.ring = new Float64Array(this.size)
  }

  /** True when a new entry would evict one. */
  get full(): boolean {
    return this.count === this.size
  }

  get(seq: number): TrieNode | undefined {
    const page = this.pages[seq >>> PAGE_BITS]
    if (page === undefined) return undefined
    const i = seq & PAGE_MASK
    const node = page.nodes[i]
    if (node !== undefined) page.used[i] = 1
    return node
  }

  set(seq: number, node: TrieNode): void {
    const p = seq >>> PAGE_BITS
    let page = this.pages[p]
    if (page === undefined) {
      page = newPage()
      this.pages[p] = page
    }
    const i = seq & PAGE_MASK
    if (page.nodes[i] !== undefined) {
      page.nodes[i] = node
      return
    }
    if (this.count === this.size) this.evict()
    page.nodes[i] = node
    page.used[i] = 0
    this.ring[(this.head + this.count) % this.size] = seq
    this.count++
  }

  // drops the oldest entry not used since the clock hand last passed it
  private evict(): void {
    for (;;) {
      const seq = this.ring[this.head]
      this.head = (this.head + 1) % this.size
      this.count--
      const page = this.pages[seq >>> PAGE_BITS]
      if (page === undefined) continue
      const i = seq & PAGE_MASK
      if (page.used[i] === 1) {
        page.used[i] = 0
        this.ring[(this.head + this.count) % this.size] = seq
        this.count++
        continue
      }
      page.nodes[i] = undefined
      return
    }
  }

  clear(): void {
    this.pages = []
    this.head = 0
    this.count = 0
  }
}
