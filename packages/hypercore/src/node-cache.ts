// Recently used tree nodes, direct-mapped: O(1) with no hashing or eviction storms. A node's slot
// is its index plus the number of its slot-sized window, so a run of neighbouring indexes (what
// appends and replication touch) takes distinct slots, one collision at most where it crosses a
// window, while the nodes high in the tree, whose low index bits are all ones and which every
// random proof shares, spread over the slots instead of all taking the last one. It starts small
// (a store may open many cores) and doubles while it keeps filling, up to a bound.
import type { TreeNode } from './crypto.js'

const INITIAL_SLOTS = 1024

export class NodeCache {
  private slots: (TreeNode | undefined)[] = new Array(INITIAL_SLOTS)
  private mask = INITIAL_SLOTS - 1
  private readonly maxSlots: number
  /** Nodes stored since the last growth. */
  private stored = 0

  /** `bits`: the cache holds up to 2^bits nodes. */
  constructor(bits = 16) {
    this.maxSlots = Math.max(INITIAL_SLOTS, 1 << bits)
  }

  get(index: number): TreeNode | undefined {
    const node = this.slots[this.slotOf(index)]
    return node !== undefined && node.index === index ? node : undefined
  }

  set(node: TreeNode): void {
    if (++this.stored > 2 * this.slots.length && this.slots.length < this.maxSlots) this.grow()
    this.slots[this.slotOf(node.index)] = node
  }

  private slotOf(index: number): number {
    return (index + Math.floor(index / this.slots.length)) & this.mask
  }

  private grow(): void {
    const old = this.slots
    this.slots = new Array(old.length * 2)
    this.mask = this.slots.length - 1
    this.stored = 0
    for (const node of old) if (node !== undefined) this.slots[this.slotOf(node.index)] = node
  }
}
