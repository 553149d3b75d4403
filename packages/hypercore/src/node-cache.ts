// Recently used tree nodes, direct-mapped by index: O(1) with no hashing, growth or eviction
// storms, and a fixed footprint. Appends and replication touch runs of neighbouring indexes,
// which map to distinct slots.
import type { TreeNode } from './crypto.js'

export class NodeCache {
  private readonly slots: (TreeNode | undefined)[]
  private readonly mask: number

  /** `bits`: the cache holds up to 2^bits nodes. */
  constructor(bits = 16) {
    this.slots = new Array(1 << bits)
    this.mask = (1 << bits) - 1
  }

  get(index: number): TreeNode | undefined {
    const node = this.slots[index & this.mask]
    return node !== undefined && node.index === index ? node : undefined
  }

  set(node: TreeNode): void {
    this.slots[node.index & this.mask] = node
  }
}
