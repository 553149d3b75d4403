// Raw runs of tree entries read on a node-cache miss, decoded only when asked for: a proof or an
// offset walk often needs a neighbour next, and random walks do not pay for 32 decoded nodes.
import { type TreeNode, isBlank, readU64 } from './crypto.js'

/** Tree entries per run (40 bytes each). */
export const TREE_RUN = 32
/** Runs kept, direct-mapped by run number. */
const SLOTS = 64

interface Run {
  first: number
  bytes: Buffer
  /** Bit k: entry first + k was stored before the read began (so never read half-written). */
  stored: number
}

export class TreeRuns {
  private readonly slots: (Run | undefined)[] = new Array(SLOTS)

  /** Node `index` from a kept run, when its entry was stored when the run was read. */
  node(index: number): TreeNode | null {
    const run = this.slots[Math.floor(index / TREE_RUN) % SLOTS]
    if (run === undefined) return null
    const k = index - run.first
    if (k < 0 || k >= TREE_RUN || 40 * k + 40 > run.bytes.length) return null
    if (((run.stored >>> k) & 1) === 0) return null
    const hash = run.bytes.subarray(40 * k, 40 * k + 32)
    const size = readU64(run.bytes, 40 * k + 32)
    if (size === 0 && isBlank(hash)) return null
    return { index, hash, size }
  }

  /** Keeps the entries read from `first`; `stored` as in `Run`. */
  set(first: number, bytes: Buffer, stored: number): void {
    this.slots[Math.floor(first / TREE_RUN) % SLOTS] = { first, bytes, stored }
  }
}
