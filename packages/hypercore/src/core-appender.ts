import type { PendingAppend } from './append-batcher.js'
import type { BitfieldWrites } from './bitfield-writes.js'
import type { Bitfield } from './bitfield.js'
import type { BlockReader } from './block-reader.js'
// A writer's append path: one batch of appends written as data and tree nodes, the bitfield pages
// and the signature following later, coalesced with those of the appends after it.
import { flat } from './commonjs.js'
import type { CoreReplicator } from './core-replicator.js'
import { signable } from './crypto.js'
import { emitErrorIfHeard } from './emit-error.js'
import { ClosedError, NotWritableError } from './errors.js'
import { LeafHasher } from './leaf-hasher.js'
import { MerkleTree, hashBatch } from './merkle-tree.js'
import { HYPERCORE_DEFAULTS, type HypercoreOptions } from './options.js'
import { SignatureLog } from './signature-log.js'
import type { CoreStorage } from './storage.js'
import { type TreeBits, setNode } from './tree-index.js'
import type { Waiters } from './waiters.js'

/** The part of a core its appends read and update. */
export interface AppendingCore {
  readonly closed: boolean
  readonly writable: boolean
  readonly secretKey: Buffer | null
  readonly live: boolean
  readonly storage: CoreStorage
  length: number
  byteLength: number
  readonly bitfield: Bitfield | null
  readonly treeBits: TreeBits
  readonly replicator: CoreReplicator | null
  readonly waiters: Waiters
  listenerCount(event: 'error'): number
  emit(event: 'append'): boolean
  emit(event: 'error', err: Error): boolean
}

export class CoreAppender {
  /** The writer's roots, ahead of storage while a batch is written (null: reload from storage). */
  merkle: MerkleTree | null = null
  /** A writer's signatures on their way to storage (made on the first signed append). */
  signatures: SignatureLog | null = null
  private readonly hashInWorker: boolean

  constructor(
    private readonly core: AppendingCore,
    private readonly blocks: BlockReader,
    private readonly bitfieldWrites: BitfieldWrites,
    private readonly opts: HypercoreOptions,
  ) {
    this.hashInWorker = opts.hashInWorker ?? HYPERCORE_DEFAULTS.hashInWorker
  }

  /** Writes one batch of appends: data, tree nodes, then (later, coalesced) bits and signature. */
  async write(batch: PendingAppend[]): Promise<number> {
    const core = this.core
    if (core.closed) throw new ClosedError('Hypercore is closed')
    if (!core.writable || (!core.secretKey && core.live)) {
      throw new NotWritableError('This feed is not writable. Did you create it?')
    }
    if (!this.merkle)
      this.merkle = new MerkleTree(await core.storage.getNodes(flat.fullRoots(2 * core.length)))
    const merkle = this.merkle
    const start = core.length
    const datas: Buffer[] = []
    for (const p of batch) for (const b of p.blocks) datas.push(b)
    const count = datas.length
    if (count === 0) return start

    let bytes = 0
    for (const b of datas) bytes += b.length
    // Big batches hash their leaves on the hashing thread while the data is written here.
    const hashing =
      this.hashInWorker && LeafHasher.worthIt(bytes, count)
        ? (LeafHasher.get()?.hash(datas) ?? null)
        : null
    const dataWrite = core.storage.writeDataRun(core.byteLength, datas, bytes)
    // Its failure surfaces below with the tree writes, not as unhandled while leaves are hashed.
    dataWrite.catch(() => {})
    const leaves = hashing === null ? null : await hashing
    const { slots, outside } = hashBatch(merkle, datas, leaves)
    const newLength = start + count
    const writes: Promise<void>[] = [dataWrite, core.storage.putNodeRange(2 * start, slots)]
    for (const node of outside) writes.push(core.storage.putNode(node))
    const durable = batch.some((p) => p.durable)
    if (core.live && core.secretKey) this.sign(newLength, signable(merkle.roots, newLength))
    try {
      await Promise.all(writes)
    } catch (err) {
      // The merkle state ran ahead of storage; reload it from what is stored before the next append.
      this.merkle = null
      throw err
    }

    const bitfield = core.bitfield as Bitfield
    this.blocks.offsets.setRun(start, core.byteLength, datas)
    core.byteLength += bytes
    for (let i = start; i < newLength; i++) {
      bitfield.set(i, true)
      setNode(core.treeBits, 2 * i)
    }
    core.length = newLength
    core.emit('append')
    core.replicator?.announce(start, count)
    core.waiters.onAppend(core)
    // The append is recoverable once its tree nodes and data are written: on reopen a writer
    // re-verifies leaves past the bitfield and re-signs (Ed25519 is deterministic). So the
    // bitfield pages and the signature are written after the append resolves, coalesced with
    // those of the following appends; flush() and {durable} wait for them and fsync once.
    this.bitfieldWrites.schedule()
    if (durable) {
      // Tree nodes and data are all a writer needs to recover this append after a power loss
      // (recoverAppends re-derives the bits and signs again), so only those two are synced.
      await core.storage.syncAppendData()
    } else if (this.signatures && this.signatures.backlog > SignatureLog.MAX_BACKLOG) {
      await this.signatures.written(-1, SignatureLog.MAX_BACKLOG / 2)
    }
    return start
  }

  /** Signs `length` (on the signing thread when appends come in bursts) and writes it to its slot. */
  private sign(length: number, message: Buffer): void {
    const core = this.core
    this.signatures ??= new SignatureLog(
      core.storage,
      core.secretKey as Buffer,
      this.opts.signInWorker ?? HYPERCORE_DEFAULTS.signInWorker,
      (err) => emitErrorIfHeard(core, err),
    )
    this.signatures.request(length - 1, message)
  }
}
