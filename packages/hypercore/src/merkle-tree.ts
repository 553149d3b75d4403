// The writer's merkle state: the current roots, and the nodes each appended block creates.
import * as flat from 'flat-tree'
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

  /** Adds a block; pushes the leaf and every completed parent onto `out`. */
  next(data: Uint8Array, out: TreeNode[]): void {
    const leaf: TreeNode = { index: 2 * this.blocks++, hash: leafHash(data), size: data.byteLength }
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
