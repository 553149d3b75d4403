// Serving proofs to peers: the tree nodes a proof plan names (from memory when possible) and the
// signatures of the lengths they reach.
import type { CoreAppender } from './core-appender.js'
import type { TreeNode } from './crypto.js'
import { CorruptStorageError, OutOfBoundsError } from './errors.js'
import type { Proof } from './put.js'
import type { CoreStorage } from './storage.js'
import type { ProofPlan } from './tree-index.js'
import type { TreeNodes } from './tree-nodes.js'

/** The part of a core that proofs for peers read. */
export interface ProvingCore {
  readonly live: boolean
  readonly length: number
  readonly storage: CoreStorage
  ready(): Promise<void>
  getNode(index: number): Promise<TreeNode>
  settleSignatures(): Promise<void>
}

export class ProofLoader {
  constructor(
    private readonly core: ProvingCore,
    private readonly nodes: TreeNodes,
    private readonly appender: CoreAppender,
  ) {}

  /** The signature covering block `index` (the first stored at a slot ≥ index). */
  async signature(index: number): Promise<{ index: number; signature: Buffer }> {
    const core = this.core
    await core.ready()
    if (index < 0 || index >= core.length)
      throw new OutOfBoundsError('No signature available for this index')
    await core.settleSignatures()
    for (let i = index; i < core.length; i++) {
      const sig = await core.storage.getSignature(i)
      if (sig) return { index: i, signature: sig }
    }
    throw new CorruptStorageError(`No signature stored at or after ${index}`)
  }

  /** Reads node `index` into `nodes[at]` (a proof node not in memory). */
  private async readInto(nodes: TreeNode[], at: number, index: number): Promise<void> {
    nodes[at] = await this.core.getNode(index)
  }

  /** The nodes (and the signature, when it reaches a signed length) a plan names. */
  async load(plan: ProofPlan): Promise<Proof> {
    const core = this.core
    // Uploads mostly find their nodes in memory: a read (and its promise) only for the others.
    const nodes: TreeNode[] = new Array(plan.nodes.length)
    let reads: Promise<void>[] | null = null
    for (let i = 0; i < nodes.length; i++) {
      const node = this.nodes.now(plan.nodes[i])
      if (node) nodes[i] = node
      else (reads ??= []).push(this.readInto(nodes, i, plan.nodes[i]))
    }
    if (reads !== null) await Promise.all(reads)
    let signature: Buffer | null = null
    if (core.live && plan.verifiedBy) {
      const slot = plan.verifiedBy / 2 - 1
      await this.appender.signatures?.written(slot, Number.POSITIVE_INFINITY)
      signature = await core.storage.getSignature(slot)
    }
    return { nodes, signature }
  }
}
