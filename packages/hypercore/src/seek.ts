// Finding the block that holds a byte offset by descending the merkle tree (node sizes).
import * as flat from 'flat-tree'
import type { TreeNode } from './crypto.js'
import type { TreeBits } from './tree-index.js'

/** The part of a core a seek reads. */
export interface SeekTree {
  readonly length: number
  readonly treeBits: TreeBits
  getNode(index: number): Promise<TreeNode>
}

/**
 * Where byte `bytes` (< byteLength) is: block `index` and `offset` inside it. Index -1 when a
 * node on the way is not stored locally; then [start, end) are the blocks under the last known
 * node (a peer is asked for them with a byte-offset request).
 */
export interface SeekResult {
  index: number
  offset: number
  start: number
  end: number
}

/** Descends the local tree to byte `bytes` without waiting for anything. */
export async function seekLocal(tree: SeekTree, bytes: number): Promise<SeekResult> {
  let rest = bytes
  let n: TreeNode | null = null
  for (const r of flat.fullRoots(2 * tree.length)) {
    const root = await tree.getNode(r)
    if (root.size > rest) {
      n = root
      break
    }
    rest -= root.size
  }
  if (!n) return { index: -1, offset: 0, start: 0, end: tree.length }
  const bits = tree.treeBits
  while (n.index & 1) {
    const leftIndex = flat.leftChild(n.index)
    let next: TreeNode | null = null
    if (bits.getTree(leftIndex)) {
      const left: TreeNode = await tree.getNode(leftIndex)
      if (left.size > rest) next = left
      else {
        const rightIndex = flat.rightChild(n.index)
        if (bits.getTree(rightIndex)) {
          rest -= left.size
          next = await tree.getNode(rightIndex)
        }
      }
    }
    if (!next) {
      const start = flat.leftSpan(n.index) / 2
      return { index: -1, offset: 0, start, end: flat.rightSpan(n.index) / 2 + 1 }
    }
    n = next
  }
  return { index: n.index / 2, offset: rest, start: 0, end: 0 }
}
