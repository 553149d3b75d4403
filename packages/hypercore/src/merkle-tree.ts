// The writer's merkle state: the current roots, and the nodes each appended block creates.
import { flat } from './commonjs.js'
import { type TreeNode, leafHash, parentHash } from './crypto.js'

/** Incremental merkle tree over appended blocks (as merkle-tree-stream's generator). */
export class MerkleTree {
  roots: TreeNode[]
  /** Number of leaves (blocks) the roots cover. */
  blocks: number

  constructor(roots: TreeNode[] = []) {
    this.roots = roots.slice()
    const last = roots[roots.length - 1]
    this.blocks = last ? (flat.rightSpan(last.index) + 2) / 2 : 0
  }

  /**
   * Adds a block; pushes the leaf and every completed parent onto `out`. `hash` is the block's
   * leaf hash when it was computed elsewhere (the hashing thread).
   */
  next(data: Uint8Array, out: TreeNode[], hash: Buffer | null = null): void {
    const leaf: TreeNode = {
      index: 2 * this.blocks++,
      hash: hash ?? leafHash(data),
      size: data.byteLength,
    }
    this.roots.push(leaf)
    out.push(leaf)
    while (this.roots.length > 1) {
      const left = this.roots[this.roots.length - 2]
      const right = this.roots[this.roots.length - 1]
      if (flat.sibling(left.index) !== right.index) break
      this.roots.pop()
      const parent: TreeNode = {
        index: flat.parent(left.index),
        hash: parentHash(left, right),
        size: left.size + right.size,
      }
      this.roots[this.roots.length - 1] = parent
      out.push(parent)
    }
  }

  byteLength(): number {
    let n = 0
    for (const r of this.roots) n += r.size
    return n
  }
}

/** The tree nodes a batch of appended blocks creates, laid out for storage. */
export interface HashedBatch {
  /** Nodes 2 * first .. 2 * (first + count) - 2, by index (null where no node is made yet). */
  slots: (TreeNode | null)[]
  /** Completed parents left of that range (they close older subtrees). */
  outside: TreeNode[]
}

/**
 * Feeds `blocks` (the next ones after `merkle.blocks`) into `merkle`, collecting their nodes;
 * `leaves[i]`, when given, is block i's leaf hash computed already.
 */
export function hashBatch(
  merkle: MerkleTree,
  blocks: readonly Buffer[],
  leaves: readonly (Buffer | null)[] | null = null,
): HashedBatch {
  const nodeOffset = 2 * merkle.blocks
  const slots: (TreeNode | null)[] = new Array(2 * blocks.length - 1).fill(null)
  const outside: TreeNode[] = []
  const created: TreeNode[] = []
  for (let i = 0; i < blocks.length; i++) {
    created.length = 0
    merkle.next(blocks[i], created, leaves ? leaves[i] : null)
    for (const node of created) {
      const at = node.index - nodeOffset
      if (at >= 0 && at < slots.length) slots[at] = node
      else outside.push(node)
    }
  }
  return { slots, outside }
}
