// Which merkle tree nodes are present (tree bits), and the digest/proof/verifiedBy walks of hypercore@9.

import { byteOf } from './bit-index.js'
import { flat } from './commonjs.js'

/** A set of flat-tree node indexes. */
export interface TreeBits {
  getTree(n: number): boolean
  setTreeBit(n: number, value: boolean): boolean
  /** Bits covered (8 × byte length of the tree area). */
  readonly treeLength: number
}

/** A growable in-memory bitset of tree nodes (what we believe a peer has). */
export class MemoryTreeBits implements TreeBits {
  private bits = new Uint8Array(64)
  private byteLength = 0

  get treeLength(): number {
    return 8 * this.byteLength
  }

  getTree(n: number): boolean {
    const byte = byteOf(n)
    return byte < this.bits.length && (this.bits[byte] & (128 >> (n & 7))) !== 0
  }

  setTreeBit(n: number, value: boolean): boolean {
    const byte = byteOf(n)
    if (byte >= this.bits.length) {
      if (!value) return false
      let size = this.bits.length
      while (size <= byte) size *= 2
      const next = new Uint8Array(size)
      next.set(this.bits)
      this.bits = next
    }
    const old = this.bits[byte]
    const v = value ? old | (128 >> (n & 7)) : old & ~(128 >> (n & 7)) & 255
    if (v === old) return false
    this.bits[byte] = v
    if (byte >= this.byteLength) this.byteLength = byte + 1
    return true
  }
}

/** A few tree nodes (what one batch of pushes carries): a set, no bitset the size of the tree. */
export class SparseTreeBits implements TreeBits {
  private readonly nodes = new Set<number>()
  private highest = -1

  get treeLength(): number {
    return this.highest < 0 ? 0 : 8 * (byteOf(this.highest) + 1)
  }

  getTree(n: number): boolean {
    return this.nodes.has(n)
  }

  setTreeBit(n: number, value: boolean): boolean {
    if (!value) return this.nodes.delete(n)
    if (this.nodes.has(n)) return false
    this.nodes.add(n)
    if (n > this.highest) this.highest = n
    return true
  }
}

/** Sets node `n` and every parent whose two children are now present (the original's `tree.set`). */
export function setNode(bits: TreeBits, n: number): boolean {
  if (!bits.setTreeBit(n, true)) return false
  let index = n
  while (bits.getTree(flat.sibling(index))) {
    index = flat.parent(index)
    if (!bits.setTreeBit(index, true)) break
  }
  return true
}

/** The length (in leaves × 2) a present node and its present neighbours prove; 0 when absent. */
export function verifiedBy(bits: TreeBits, index: number, nodes?: number[]): number {
  if (!bits.getTree(index)) return 0
  let depth = flat.depth(index)
  let top = index
  let parent = flat.parent(top)
  while (bits.getTree(parent) && bits.getTree(flat.sibling(top))) {
    top = parent
    parent = flat.parent(top)
    depth++
  }
  while (depth) {
    top = flat.leftChild(flat.index(depth, flat.offset(top, depth) + 1), depth)
    depth--
    while (!bits.getTree(top) && depth) top = flat.leftChild(top, depth--)
    if (nodes && bits.getTree(top)) nodes.push(top)
  }
  return bits.getTree(top) ? top + 2 : top
}

/** Number of blocks the tree bits prove from the left spine (the original's `blocks()`). */
export function blocks(bits: TreeBits): number {
  let top = 0
  let next = 0
  const max = bits.treeLength
  while (flat.rightSpan(next) < max) {
    next = flat.parent(next)
    if (bits.getTree(next)) top = next
  }
  return (bits.getTree(top) ? verifiedBy(bits, top) : 0) / 2
}

/** The requester's digest for node `index`: which uncles and which ancestor it already has. */
export function digest(bits: TreeBits, index: number): number {
  if (bits.getTree(index)) return 1
  let result = 0
  let next = flat.sibling(index)
  const max = Math.max(next + 2, bits.treeLength)
  let bit = 2
  let parent = flat.parent(next)
  while (flat.rightSpan(next) < max || flat.leftSpan(parent) > 0) {
    if (bits.getTree(next)) result += bit
    if (bits.getTree(parent)) {
      result += 2 * bit
      if (!(result & 1)) result += 1
      if (result + 1 === 4 * bit) return 1
      return result
    }
    next = flat.sibling(parent)
    parent = flat.parent(next)
    bit *= 2
  }
  return result
}

export interface ProofPlan {
  /** Node indexes to send, in the original's order. */
  nodes: number[]
  /** 2 × the length the proof reaches (0 when it stops at a node the peer has). */
  verifiedBy: number
}

function rightShift(n: number): number {
  return (n - (n & 1)) / 2
}

/**
 * Which nodes prove `index` to a peer with the given digest (the original's `TreeIndex.proof`).
 * `remote` accumulates what the peer is believed to have across requests. Null when absent here.
 */
export function proof(
  bits: TreeBits,
  index: number,
  digestValue: number,
  hash: boolean,
  remote: TreeBits,
): ProofPlan | null {
  if (!bits.getTree(index)) return null
  const nodes: number[] = []
  if (hash) nodes.push(index)
  if (digestValue === 1) return { nodes, verifiedBy: 0 }

  let next = index
  const hasRoot = digestValue & 1
  let d = rightShift(digestValue)
  while (d) {
    if (d === 1 && hasRoot) {
      if (bits.getTree(next)) setNode(remote, next)
      if (flat.sibling(next) < next) next = flat.sibling(next)
      for (const r of flat.fullRoots(flat.rightSpan(next) + 2))
        if (bits.getTree(r)) setNode(remote, r)
      break
    }
    const sib = flat.sibling(next)
    if (d & 1 && bits.getTree(sib)) setNode(remote, sib)
    next = flat.parent(next)
    d = rightShift(d)
  }

  next = index
  while (!remote.getTree(next)) {
    const sib = flat.sibling(next)
    if (!bits.getTree(sib)) {
      const vb = verifiedBy(bits, next)
      for (const r of flat.fullRoots(vb)) if (r !== next && !remote.getTree(r)) nodes.push(r)
      return { nodes, verifiedBy: vb }
    }
    if (!remote.getTree(sib)) nodes.push(sib)
    next = flat.parent(next)
  }
  return { nodes, verifiedBy: 0 }
}
