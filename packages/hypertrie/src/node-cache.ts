// A bounded cache of decoded nodes keyed by seq, shared by a trie and its checkouts: a hash table
// with linear probing over typed arrays (no object per entry), so its memory follows the nodes it
// holds, not the length of the core. (Pages of 1,024 slots took 8 MiB for the 8k nodes a reader
// touched in a 1M-block core, and would take 80 MiB at 10M.) Eviction is CLOCK (second chance):
// a hit sets the entry's bit, and the hand sweeping the table drops the first entry without it.
import type { TrieNode } from './trie-node.js'

export const DEFAULT_CACHE_SIZE = 131072

/** Slots of an empty cache's table (a power of two). */
const MIN_SLOTS = 1024
/** A free slot's key (seqs are block indexes, never negative). */
const FREE = -1

/** Where `seq` starts probing in a table of `mask + 1` slots (Fibonacci hashing). */
function home(seq: number, mask: number): number {
  return Math.imul(seq, 0x9e3779b1) & mask
}

export class NodeCache {
  private keys: Int32Array
  private nodes: (TrieNode | undefined)[]
  /** Second-chance bits, by slot. */
  private used: Uint8Array
  private mask: number
  private count = 0
  private hand = 0
  private readonly size: number
  /** Slots the table may grow to: at least twice the entries it can hold. */
  private readonly maxSlots: number

  constructor(size = DEFAULT_CACHE_SIZE) {
    this.size = Math.max(1, Math.floor(size))
    let max = MIN_SLOTS
    while (max < 2 * this.size) max *= 2
    this.maxSlots = max
    this.keys = new Int32Array(0)
    this.nodes = []
    this.used = new Uint8Array(0)
    this.mask = 0
    this.allocate(MIN_SLOTS)
  }

  /** True when a new entry would evict one. */
  get full(): boolean {
    return this.count === this.size
  }

  get(seq: number): TrieNode | undefined {
    const keys = this.keys
    const mask = this.mask
    for (let i = home(seq, mask); ; i = (i + 1) & mask) {
      const key = keys[i]
      if (key === seq) {
        this.used[i] = 1
        return this.nodes[i]
      }
      if (key === FREE) return undefined
    }
  }

  set(seq: number, node: TrieNode): void {
    if (seq > 0x7fffffff) return // past an Int32 key (2^31 blocks): read again when needed
    let i = home(seq, this.mask)
    for (; ; i = (i + 1) & this.mask) {
      const key = this.keys[i]
      if (key === seq) {
        this.nodes[i] = node
        return
      }
      if (key === FREE) break
    }
    if (this.count === this.size) {
      this.evict()
      i = this.freeSlot(seq)
    } else if (4 * (this.count + 1) > 3 * (this.mask + 1) && this.mask + 1 < this.maxSlots) {
      this.allocate(2 * (this.mask + 1))
      i = this.freeSlot(seq)
    }
    this.keys[i] = seq
    this.nodes[i] = node
    this.used[i] = 0
    this.count++
  }

  clear(): void {
    this.count = 0
    this.hand = 0
    this.allocate(MIN_SLOTS)
  }

  /** The first free slot on `seq`'s probe path (one exists: the table is never full). */
  private freeSlot(seq: number): number {
    let i = home(seq, this.mask)
    while (this.keys[i] !== FREE) i = (i + 1) & this.mask
    return i
  }

  /** The hand passes over used entries (clearing their bit) and removes the first unused one. */
  private evict(): void {
    for (;;) {
      const i = this.hand
      this.hand = (i + 1) & this.mask
      if (this.keys[i] === FREE) continue
      if (this.used[i] === 1) {
        this.used[i] = 0
        continue
      }
      this.remove(i)
      return
    }
  }

  /** Empties slot `hole`, moving back later entries of its run that may live there. */
  private remove(hole: number): void {
    const { keys, nodes, used, mask } = this
    for (let j = (hole + 1) & mask; keys[j] !== FREE; j = (j + 1) & mask) {
      // The entry at j may move to the hole when its home is not after the hole on its path.
      if (((j - home(keys[j], mask)) & mask) >= ((j - hole) & mask)) {
        keys[hole] = keys[j]
        nodes[hole] = nodes[j]
        used[hole] = used[j]
        hole = j
      }
    }
    keys[hole] = FREE
    nodes[hole] = undefined
    used[hole] = 0
    this.count--
  }

  /** A table of `slots` slots holding the current entries (rehashed). */
  private allocate(slots: number): void {
    const { keys, nodes, used } = this
    this.keys = new Int32Array(slots).fill(FREE)
    this.nodes = new Array<TrieNode | undefined>(slots).fill(undefined)
    this.used = new Uint8Array(slots)
    this.mask = slots - 1
    this.hand = 0
    if (this.count === 0) return
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === FREE) continue
      const at = this.freeSlot(keys[i])
      this.keys[at] = keys[i]
      this.nodes[at] = nodes[i]
      this.used[at] = used[i]
    }
  }
}
