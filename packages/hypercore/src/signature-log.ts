// A writer's signatures between append and storage: each append's signable is signed (inline,
// or on the shared signing thread once appends come in bursts) and written to its slot, runs of
// consecutive slots in one write. Everything stays in request order, so "every slot below
// `writtenBelow` is stored" is the whole bookkeeping: no object is kept per signature.
import { sign } from './crypto.js'
import { RING_SLOTS, type SignatureSink, SigningRing } from './signing-ring.js'

export interface SignatureStore {
  putSignatures(firstSlot: number, signatures: Buffer): Promise<void>
}

/**
 * Signatures asked for within BURST_MS that start the signing thread: 3,200/s, where signing
 * takes over 5% of a core. Below that (batches, trickles) the thread's memory does not pay.
 */
const BURST_SIGNATURES = 64
const BURST_MS = 20
/** Signatures in one storage write at most. */
const RUN_SLOTS = 256
const SIGNATURE_BYTES = 64

interface Queued {
  slot: number
  message: Buffer
}

export class SignatureLog implements SignatureSink {
  private ring: SigningRing | null = null
  private burstStart = 0
  private burstCount = 0
  /** Signed, not yet handed to storage: slots runStart.. runStart + runCount - 1. */
  private run: Buffer | null = null
  private runStart = 0
  private runCount = 0
  private flushScheduled = false
  /** Waiting for room in the ring (kept in order behind it). */
  private overflow: Queued[] = []
  private pumping = false
  /** Asked for and not yet stored. */
  private outstanding = 0
  /** Every slot asked for below this is stored (slots are asked for in increasing order). */
  private writtenBelow = 0
  /** One past the last slot asked for. */
  private requestedBelow = 0
  private writes: Promise<void> = Promise.resolve()
  private waiters: { below: number; slot: number; resolve: () => void }[] = []

  /**
   * `useThread`: sign bursts on the process's signing thread (single signatures stay inline).
   * `onError` hears failed signature writes (the append stays recoverable: reopening re-signs).
   */
  constructor(
    private readonly store: SignatureStore,
    private readonly secretKey: Buffer,
    private readonly useThread: boolean,
    private readonly onError: (err: Error) => void,
  ) {}

  /** Signatures asked for and not yet stored. */
  get backlog(): number {
    return this.outstanding
  }

  /** Signs `message` (40 bytes) for `slot` and writes it; slots must increase call to call. */
  request(slot: number, message: Buffer): void {
    this.outstanding++
    this.requestedBelow = slot + 1
    // Behind a queue, in line (its pump is running).
    if (this.overflow.length > 0) {
      this.overflow.push({ slot, message })
      return
    }
    const ring = this.threadFor()
    if (!ring) this.signInline(slot, message)
    else if (!ring.submit(this, slot, message, this.secretKey)) {
      this.overflow.push({ slot, message })
      this.pump(ring)
    }
  }

  /** The signing thread when this burst warrants it (and it runs), else null. */
  private threadFor(): SigningRing | null {
    if (this.ring?.usable) return this.ring
    if (!this.useThread) return null
    const now = performance.now()
    if (now - this.burstStart > BURST_MS) {
      this.burstStart = now
      this.burstCount = 0
    }
    if (++this.burstCount < BURST_SIGNATURES) return null
    this.ring = SigningRing.get()
    return this.ring
  }

  /** Moves the overflow into the ring as it frees up (inline once the ring is gone). */
  private pump(ring: SigningRing): void {
    if (this.pumping) return
    this.pumping = true
    const step = (): void => {
      while (this.overflow.length > 0) {
        const next = this.overflow[0]
        if (!ring.usable) this.signInline(next.slot, next.message)
        else if (!ring.submit(this, next.slot, next.message, this.secretKey)) {
          void ring.waitForRoom().then(step)
          return
        }
        this.overflow.shift()
      }
      this.pumping = false
    }
    step()
  }

  private signInline(slot: number, message: Buffer): void {
    sign(message, this.secretKey, this.slotInRun(slot))
    if (!this.flushScheduled) {
      this.flushScheduled = true
      queueMicrotask(() => {
        this.flushScheduled = false
        this.flush()
      })
    }
  }

  /** SignatureSink: a signature from the thread (a view into the ring). */
  signed(slot: number, signature: Buffer): void {
    signature.copy(this.slotInRun(slot))
  }

  /** SignatureSink: the thread delivered what it had. */
  drained(): void {
    this.flush()
  }

  /** SignatureSink: the thread died with this message queued. */
  orphaned(slot: number, message: Buffer): void {
    sign(message, this.secretKey, this.slotInRun(slot))
  }

  /** Where `slot`'s signature goes in the current run (flushing it when `slot` does not extend it). */
  private slotInRun(slot: number): Buffer {
    if (this.run && (slot !== this.runStart + this.runCount || this.runCount === RUN_SLOTS))
      this.flush()
    if (!this.run) {
      this.run = Buffer.allocUnsafe(RUN_SLOTS * SIGNATURE_BYTES)
      this.runStart = slot
      this.runCount = 0
    }
    const at = this.runCount++ * SIGNATURE_BYTES
    return this.run.subarray(at, at + SIGNATURE_BYTES)
  }

  /** Hands the current run to storage (writes stay in order). */
  private flush(): void {
    const run = this.run
    if (!run || this.runCount === 0) return
    const start = this.runStart
    const count = this.runCount
    this.run = null
    this.runCount = 0
    const bytes = run.subarray(0, count * SIGNATURE_BYTES)
    this.writes = this.writes
      .then(() => this.store.putSignatures(start, bytes))
      .catch((err: Error) => this.onError(err))
      .then(() => this.stored(start + count, count))
  }

  private stored(below: number, count: number): void {
    this.writtenBelow = below
    this.outstanding -= count
    if (this.waiters.length === 0) return
    const still: typeof this.waiters = []
    for (const w of this.waiters) {
      if (w.slot < below && this.outstanding <= w.below) w.resolve()
      else still.push(w)
    }
    this.waiters = still
  }

  /**
   * Resolves once `slot`'s signature is in storage (at once when it is, or was never asked for),
   * and at most `backlog` signatures are still outstanding.
   */
  written(slot = -1, backlog = 0): Promise<void> {
    const pendingSlot = slot >= this.writtenBelow && slot < this.requestedBelow
    if (!pendingSlot && this.outstanding <= backlog) return Promise.resolve()
    this.ring?.hurry()
    return new Promise((resolve) =>
      this.waiters.push({ below: backlog, slot: pendingSlot ? slot : -1, resolve }),
    )
  }

  /** Resolves once every signature asked for so far is stored. */
  settle(): Promise<void> {
    return this.written(-1, 0)
  }

  /** Appends beyond this many unsigned/unwritten signatures wait (bounds memory). */
  static readonly MAX_BACKLOG = RING_SLOTS
}
