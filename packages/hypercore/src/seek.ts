// Finding the block that holds a byte offset by descending the merkle tree (node sizes), and
// waiting for the nodes (or the length) a sparse replica lacks.
import { flat } from './commonjs.js'
import type { TreeNode } from './crypto.js'
import { BlockNotAvailableError, OutOfBoundsError } from './errors.js'
import type { UpdateOptions } from './options.js'
import type { TreeBits } from './tree-index.js'
import type { WaitTarget, Waiters } from './waiters.js'

/** The part of a core a seek reads. */
export interface SeekTree {
  readonly length: number
  readonly treeBits: TreeBits
  getNode(index: number): Promise<TreeNode>
}

/** The part of a core a seek that waits reads. */
export interface SeekingCore extends SeekTree, WaitTarget {
  readonly length: number
  readonly byteLength: number
  readonly remoteLength: number
  readonly waiters: Waiters
  ready(): Promise<void>
  update(opts: UpdateOptions): Promise<void>
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

/**
 * The block holding byte `bytes` of the log, and the offset inside it. On a sparse replica the
 * tree nodes it lacks come from peers as a byte-offset request answered hash-only (as
 * hypercore@9's seek): no block is downloaded.
 */
export async function seekBytes(
  core: SeekingCore,
  bytes: number,
  opts: { wait?: boolean; timeout?: number },
): Promise<[number, number]> {
  await core.ready()
  if (bytes === core.byteLength) return [core.length, 0]
  if (bytes === 0 && core.length > 0) return [0, 0]
  let askedPastEnd = false
  for (;;) {
    if (bytes < core.byteLength) {
      const found = await seekLocal(core, bytes)
      if (found.index > -1) return [found.index, found.offset]
      if (opts.wait === false)
        throw new BlockNotAvailableError(`The tree nodes for byte ${bytes} are not available`)
      await core.waiters.waitForSeek(core, bytes, found.start, found.end, opts.timeout ?? 0)
      continue
    }
    if (bytes === core.byteLength) return [core.length, 0]
    if (opts.wait === false)
      throw new OutOfBoundsError(`Byte offset ${bytes} is past the end (${core.byteLength})`)
    if (!askedPastEnd && core.remoteLength > core.length) {
      // A peer has more: ask it for the byte at once. Its hash-only answer proves the block up
      // to the signed roots, so the new length comes with it; an update first would cost a
      // round trip of its own. Once: a byte past the peer's end too waits for an append.
      askedPastEnd = true
      const end = core.remoteLength
      await core.waiters.waitForSeek(core, bytes, core.length, end, opts.timeout ?? 0)
      continue
    }
    // The length seen here, not when update() runs: a store landing in between must end it.
    await core.update({ minLength: core.length + 1, timeout: opts.timeout })
  }
}
