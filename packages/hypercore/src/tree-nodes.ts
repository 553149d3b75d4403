// A core's tree nodes by index, from memory when it can: a node cache, runs of neighbouring
// entries read on a miss near the previous one (walks over neighbours), and otherwise one
// storage read per node (random proofs).
import type { TreeNode } from './crypto.js'
import { NodeCache } from './node-cache.js'
import type { TreeBits } from './tree-index.js'
import { TREE_RUN, TreeRuns } from './tree-runs.js'

/** The node cache holds up to 2^12 nodes (proofs and verification touch few; RSS stays low). */
const NODE_CACHE_BITS = 12

export interface TreeNodeStorage {
  /** A stored node (throws ERR_CORRUPT_STORAGE when absent). */
  getNode(index: number): Promise<TreeNode>
  /** Raw entries of `count` nodes from `first` (40 bytes each). */
  readTreeRange(first: number, count: number): Promise<Buffer>
}

export class TreeNodes {
  private readonly cache = new NodeCache(NODE_CACHE_BITS)
  private readonly runs = new TreeRuns()
  /**
   * The tree run of the last miss, to tell walks over neighbours from scatter. (Following the
   * last 16, one per download lane, read runs for random proofs too: 1.2-1.6x slower sparse gets.)
   */
  private lastMissedRun = -2
  /** Reads in flight, so concurrent misses of one node or one run read it once. */
  private readonly readingNodes = new Map<number, Promise<TreeNode>>()
  private readonly readingRuns = new Map<number, Promise<Buffer | null>>()

  /**
   * `bits` says which nodes are stored; `nodeCount` is how many nodes the core's length has
   * (runs are not read past it: reading past the file's end fails).
   */
  constructor(
    private readonly storage: TreeNodeStorage,
    private readonly bits: () => TreeBits,
    private readonly nodeCount: () => number,
  ) {}

  /** Keeps `node` in memory (it was just stored or verified). */
  remember(node: TreeNode): void {
    this.cache.set(node)
  }

  /** Node `index` when it is in memory (the cache, or a run read before), else null. */
  now(index: number): TreeNode | null {
    const cached = this.cache.get(index)
    if (cached) return cached
    const inRun = this.runs.node(index)
    if (inRun) this.cache.set(inRun)
    return inRun
  }

  /** Node `index`, read when not in memory (throws ERR_CORRUPT_STORAGE when absent). */
  async get(index: number): Promise<TreeNode> {
    const now = this.now(index)
    if (now) return now
    // Misses near the last one read the aligned run around `index`; scattered ones just the node.
    const run = Math.floor(index / TREE_RUN)
    const near = Math.abs(run - this.lastMissedRun) <= 1
    this.lastMissedRun = run
    if (!near) return this.readNode(index)
    const first = index - (index % TREE_RUN)
    await this.readRun(first, Math.min(TREE_RUN, Math.max(index + 1, this.nodeCount()) - first))
    const node = this.runs.node(index)
    if (!node) return this.readNode(index)
    this.cache.set(node)
    return node
  }

  private readNode(index: number): Promise<TreeNode> {
    let reading = this.readingNodes.get(index)
    if (reading === undefined) {
      reading = this.storage.getNode(index).then(
        (node) => {
          this.readingNodes.delete(index)
          this.cache.set(node)
          return node
        },
        (err: unknown) => {
          this.readingNodes.delete(index)
          throw err
        },
      )
      this.readingNodes.set(index, reading)
    }
    return reading
  }

  /** Reads the run of `count` entries from `first` into `runs` (once for concurrent misses). */
  private readRun(first: number, count: number): Promise<Buffer | null> {
    let reading = this.readingRuns.get(first)
    if (reading === undefined) {
      const bits = this.bits()
      let stored = 0
      for (let k = 0; k < count; k++) if (bits.getTree(first + k)) stored |= 1 << k
      reading = this.storage.readTreeRange(first, count).then(
        (bytes) => {
          this.readingRuns.delete(first)
          this.runs.set(first, bytes, stored)
          return bytes
        },
        () => {
          this.readingRuns.delete(first)
          return null
        },
      )
      this.readingRuns.set(first, reading)
    }
    return reading
  }
}
