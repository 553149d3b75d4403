// One BLAKE2b leaf-hashing thread per process, for big appends: the blocks of a batch are copied
// into a shared ring and hashed on a second core while the main thread writes the same blocks to
// storage (which, in memory or in the page cache, costs more than hashing them). Only one batch
// uses the thread at a time; others, and blocks that do not fit the ring, hash inline.
import type { Worker } from 'node:worker_threads'
import { leafHash } from './crypto.js'
import {
  DONE,
  HEAD,
  SLEEPING,
  currentOrStarted,
  ringThreadSource,
  startHelperThread,
} from './helper-thread.js'

/** Bytes of blocks one batch may hand the thread (the drive's write stream appends 4 MiB). */
const RING_BYTES = 4 * 1024 * 1024
/** Blocks one batch may hand the thread. */
const JOB_SLOTS = 1024
/** Smaller blocks hash inline: copying and bookkeeping would cost as much as hashing. */
export const MIN_OFFLOAD_BLOCK = 4 * 1024
/** Smaller batches hash inline: waking the thread costs more than hashing them. */
export const MIN_OFFLOAD_BATCH = 256 * 1024
const HASH_BYTES = 32
/** A thread with no batch for this long ends (its ~10 MiB come back); the next batch starts one. */
const IDLE_MS = 1000

// The leaf hash is BLAKE2b-256(0x00 ‖ u64be(size) ‖ block), as crypto.ts's leafHash.
const WORKER_SOURCE = ringThreadSource(
  `const jobs = new Int32Array(workerData.jobs)
const hashes = Buffer.from(workerData.hashes)
const ring = Buffer.from(workerData.ring)
const header = Buffer.alloc(9)`,
  `const slot = done & ${JOB_SLOTS - 1}
    const offset = jobs[2 * slot]
    const size = jobs[2 * slot + 1]
    header[0] = 0
    header.writeUInt32BE(Math.floor(size / 4294967296), 1)
    header.writeUInt32BE(size >>> 0, 5)
    const out = hashes.subarray(slot * ${HASH_BYTES}, (slot + 1) * ${HASH_BYTES})
    sodium.crypto_generichash_batch(out, [header, ring.subarray(offset, offset + size)])`,
)

/** The leaf hashes of one batch; null entries (blocks the thread did not take) hash inline. */
export type LeafHashes = (Buffer | null)[]

export class LeafHasher {
  private readonly control: Int32Array
  private readonly jobs: Int32Array
  private readonly hashes: Buffer
  private readonly ring: Buffer
  private readonly worker: Worker
  private head = 0
  private busy = false
  private broken = false
  /** The batch in the thread, to finish inline if the thread dies. */
  private failBatch: (() => void) | null = null
  private idleTimer: NodeJS.Timeout | null = null

  private constructor() {
    const control = new SharedArrayBuffer(4 * 4)
    const jobs = new SharedArrayBuffer(JOB_SLOTS * 2 * 4)
    const hashes = new SharedArrayBuffer(JOB_SLOTS * HASH_BYTES)
    const ring = new SharedArrayBuffer(RING_BYTES)
    this.control = new Int32Array(control)
    this.jobs = new Int32Array(jobs)
    this.hashes = Buffer.from(hashes)
    this.ring = Buffer.from(ring)
    this.worker = startHelperThread(WORKER_SOURCE, { control, jobs, hashes, ring }, () =>
      this.fail(),
    )
  }

  private static shared: LeafHasher | null = null

  /** The process's hasher, started on first use; null where worker threads are unavailable. */
  static get(): LeafHasher | null {
    LeafHasher.shared = currentOrStarted(
      LeafHasher.shared,
      (owner) => !owner.broken,
      () => new LeafHasher(),
    )
    return LeafHasher.shared
  }

  /** Whether a batch of `blocks` blocks and `bytes` bytes is worth the thread. */
  static worthIt(bytes: number, blocks: number): boolean {
    return bytes >= MIN_OFFLOAD_BATCH && bytes / blocks >= MIN_OFFLOAD_BLOCK
  }

  /**
   * Starts hashing the leaves of `blocks` on the thread (those that fit); resolves their hashes,
   * or null when the thread is taken by another batch or gone (hash inline then).
   */
  hash(blocks: readonly Buffer[]): Promise<LeafHashes> | null {
    if (this.busy || this.broken) return null
    const slots: number[] = new Array(blocks.length).fill(-1)
    let used = 0
    let submitted = 0
    for (let i = 0; i < blocks.length && submitted < JOB_SLOTS; i++) {
      const block = blocks[i]
      if (block.byteLength < MIN_OFFLOAD_BLOCK || used + block.byteLength > RING_BYTES) continue
      block.copy(this.ring, used)
      const slot = (this.head + submitted) & (JOB_SLOTS - 1)
      this.jobs[2 * slot] = used
      this.jobs[2 * slot + 1] = block.byteLength
      slots[i] = slot
      used += block.byteLength
      submitted++
    }
    if (submitted === 0) return null
    this.busy = true
    if (this.idleTimer !== null) clearTimeout(this.idleTimer)
    this.idleTimer = null
    const target = (this.head + submitted) | 0
    this.head = target
    Atomics.store(this.control, HEAD, target)
    if (Atomics.load(this.control, SLEEPING) === 1) Atomics.notify(this.control, HEAD)
    // Keeps the process alive until the batch is back (waitAsync alone does not).
    this.worker.ref()
    return new Promise<LeafHashes>((resolve) => {
      const collect = (fromThread: boolean): void => {
        this.failBatch = null
        this.busy = false
        this.worker.unref()
        if (fromThread) this.retireWhenIdle()
        resolve(
          slots.map((slot, i) => {
            if (slot === -1) return null
            if (!fromThread) return leafHash(blocks[i])
            const at = slot * HASH_BYTES
            return Buffer.from(this.hashes.subarray(at, at + HASH_BYTES))
          }),
        )
      }
      this.failBatch = () => collect(false)
      const check = (): void => {
        if (this.broken) return
        const done = Atomics.load(this.control, DONE)
        if (done === target) {
          collect(true)
          return
        }
        const wait = Atomics.waitAsync(this.control, DONE, done)
        if (!wait.async) queueMicrotask(check)
        else void wait.value.then(check)
      }
      check()
    })
  }

  private retireWhenIdle(): void {
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null
      if (!this.busy) void this.terminate()
    }, IDLE_MS)
    this.idleTimer.unref()
  }

  /** The thread is gone: a batch in it is hashed inline, and no batch uses it again. */
  private fail(): void {
    if (this.broken) return
    this.broken = true
    if (LeafHasher.shared === this) LeafHasher.shared = null
    this.failBatch?.()
  }

  /** Stops the thread (tests of the fallback). */
  async terminate(): Promise<void> {
    await this.worker.terminate()
    this.fail()
  }
}
