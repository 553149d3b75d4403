import type { BitfieldWrites } from './bitfield-writes.js'
import type { Bitfield } from './bitfield.js'
import type { BlockReader } from './block-reader.js'
// Storing what peers send: a block and its proof verified against the signed tree (verify), then
// written as tree nodes, data, signature and, coalesced later, bits (store). Verified nodes stay
// in memory until their writes land so the proofs that follow can use them.
import { flat } from './commonjs.js'
import type { CoreAppender } from './core-appender.js'
import type { CoreReplicator } from './core-replicator.js'
import type { TreeNode } from './crypto.js'
import { ClosedError, NotWritableError } from './errors.js'
import { type Proof, type VerifiedPut, verifyProof } from './put.js'
import type { CoreStorage } from './storage.js'
import { type TransferStats, countDownload } from './transfer-stats.js'
import { type TreeBits, setNode } from './tree-index.js'
import type { TreeNodes } from './tree-nodes.js'
import type { Waiters } from './waiters.js'

/** The part of a core that storing peers' blocks reads and updates. */
export interface StoringCore {
  readonly opened: boolean
  readonly closed: boolean
  readonly key: Buffer | null
  readonly writable: boolean
  live: boolean
  length: number
  byteLength: number
  readonly storage: CoreStorage
  readonly bitfield: Bitfield | null
  readonly treeBits: TreeBits
  readonly replicator: CoreReplicator | null
  readonly waiters: Waiters
  /** Totals of blocks moved to and from peers (null with `stats: false`). */
  readonly transferTotals: TransferStats | null
  ready(): Promise<void>
  getNode(index: number): Promise<TreeNode>
  checkSelections(): void
  emit(event: 'verified' | 'download', index: number, data: Buffer, from: unknown): boolean
  emit(event: 'append' | 'sync'): boolean
}

export class VerifiedStore {
  /** Nodes verified from peers whose writes have not landed yet (see `verify`). */
  private readonly verifiedNodes = new Map<number, TreeNode>()
  /** Lowest block not known to be stored (for the 'sync' event without rescanning). */
  private syncCursor = 0

  constructor(
    private readonly core: StoringCore,
    private readonly nodes: TreeNodes,
    private readonly blocks: BlockReader,
    private readonly appender: CoreAppender,
    private readonly bitfieldWrites: BitfieldWrites,
  ) {}

  /**
   * The first half of `put`: verifies without storing. Until `store` has written them, the
   * verified nodes stay in memory for the proofs that follow (a burst of blocks is verified
   * first and stored after, so the block a reader waits for is not behind the others' writes).
   * Emits 'verified' with the authentic bytes.
   */
  async verify(
    index: number,
    data: Buffer | null,
    proof: Proof,
    from?: unknown,
  ): Promise<VerifiedPut> {
    const core = this.core
    if (!core.opened) await core.ready()
    const key = core.key
    if (!key) throw new NotWritableError('Core has no key')
    const ctx = {
      key,
      length: core.length,
      live: core.live,
      hasNode: (n: number) => core.treeBits.getTree(n) || this.verifiedNodes.has(n),
      nodeNow: (n: number) => this.nodeInMemory(n),
      getNode: (n: number) => this.verifiedOrStoredNode(n),
    }
    const verified = await verifyProof(ctx, index, data, proof)
    for (const node of verified.nodes) this.verifiedNodes.set(node.index, node)
    if (verified.data && verified.leaf && !(core.bitfield as Bitfield).get(index)) {
      core.emit('verified', index, verified.data, from)
    }
    return verified
  }

  /** The second half of `put`: stores what `verify` verified (tree, data, signature, bits). */
  async store(verified: VerifiedPut, from?: unknown): Promise<void> {
    try {
      await this.storeVerified(verified, from)
    } finally {
      const pending = this.verifiedNodes
      for (const node of verified.nodes) {
        if (pending.get(node.index) === node) pending.delete(node.index)
      }
    }
  }

  /** Blocks from `start` on were cleared: the 'sync' scan starts there again. */
  rewind(start: number): void {
    if (this.syncCursor > start) this.syncCursor = start
  }

  /** Node `n` when in memory: cached, or verified and on its way to storage. */
  private nodeInMemory(n: number): TreeNode | null {
    return this.nodes.now(n) ?? this.verifiedNodes.get(n) ?? null
  }

  /** Node `n`, from a verified put whose writes have not landed yet or else from storage. */
  private verifiedOrStoredNode(n: number): Promise<TreeNode> {
    const node = this.verifiedNodes.get(n)
    return node ? Promise.resolve(node) : this.core.getNode(n)
  }

  /** Where block `v.index` starts: the sizes of the roots left of it (in memory when possible). */
  private async offsetFromRoots(v: VerifiedPut): Promise<number> {
    let offset = 0
    const missing: number[] = []
    for (const r of flat.fullRoots(2 * v.index)) {
      const node = v.nodes.find((n) => n.index === r) ?? this.nodeInMemory(r)
      if (node) offset += node.size
      else missing.push(r)
    }
    if (missing.length > 0) {
      const read = await Promise.all(missing.map((r) => this.verifiedOrStoredNode(r)))
      for (const node of read) offset += node.size
    }
    return offset
  }

  private async storeVerified(v: VerifiedPut, from: unknown): Promise<void> {
    const core = this.core
    if (core.closed) throw new ClosedError('Hypercore is closed')
    const writes = core.storage.putNodes(v.nodes)
    if (v.data?.length && v.leaf) {
      // Where the block goes: right after the previous block when its end is known, else the
      // sizes of the roots left of it.
      let offset = this.blocks.offsets.startOf(v.index)
      if (Number.isNaN(offset)) offset = await this.offsetFromRoots(v)
      writes.push(core.storage.writeData(offset, v.data))
      this.blocks.offsets.set(v.index, offset, v.data.length)
      this.nodes.remember(v.leaf)
    }
    if (v.signature) writes.push(core.storage.putSignatures(v.signatureIndex, v.signature))
    await Promise.all(writes)
    if (v.signature) core.live = true
    if (v.length > core.length && v.roots) {
      core.length = v.length
      core.byteLength = v.roots.reduce((n, r) => n + r.size, 0)
      if (core.writable) this.appender.merkle = null
      core.emit('append')
      core.waiters.onAppend(core)
    }
    for (const n of v.nodes) {
      setNode(core.treeBits, n.index)
      this.nodes.remember(n)
    }
    setNode(core.treeBits, 2 * v.index)
    core.waiters.onNodes()
    if (v.data) {
      const bitfield = core.bitfield as Bitfield
      if (bitfield.set(v.index, true)) {
        countDownload(core.transferTotals, v.data.length)
        core.emit('download', v.index, v.data, from)
      }
      core.replicator?.announce(v.index, 1, from)
      core.waiters.onBlock(core, v.index, v.data)
      core.checkSelections()
      if (!core.writable && core.length > 0) {
        const synced = this.syncCursor >= core.length
        while (this.syncCursor < core.length && bitfield.get(this.syncCursor)) this.syncCursor++
        if (!synced && this.syncCursor >= core.length) core.emit('sync')
      }
    }
    // Bits lag the data they describe (never lead): written with the next coalesced flush.
    this.bitfieldWrites.schedule()
  }
}
