// A writer's signatures between append and storage: each append's signable is signed (inline,
// or on the shared signing thread once appends come in bursts) and written to its slot, runs of
// consecutive slots in one write. When the thread falls behind (its ring is full) the main thread
// signs the next ones itself, so both cores sign; signatures still reach storage in request
// order, so "every slot below `writtenBelow` is stored" is the whole bookkeeping.
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

export class SignatureLog implements SignatureSink {
  private ring: SigningRing | null = null
  private burstStart = 0
  private burstCount = 0
  /**
   * Requests not yet handed to a run, in order: request number `first + i` is for slot
   * `slots[i]`, signed once `signatures[i]` is set (signatures are tokens in the ring).
   */
  private first = 0
  private slots: number[] = []
  private signatures: (Buffer | null)[] = []
  /** Request numbers handed out so far. */
  private requests = 0
  /** Signed, not yet handed to storage: slots runStart.. runStart + runCount - 1. */
  private run: Buffer | null = null
  private runStart = 0
  private runCount = 0
  private collectScheduled = false
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
    const token = this.requests++
    // (submit may hand this log earlier signatures first.)
    if (this.threadFor()?.submit(this, token, message, this.secretKey)) {
      this.slots.push(slot)
      this.signatures.push(null)
      return
    }
    // No thread, or it is behind: sign here (straight into the run when nothing is before it).
    if (this.slots.length === 0) {
      this.first++
      sign(message, this.secretKey, this.slotInRun(slot))
    } else {
      this.slots.push(slot)
      this.signatures.push(sign(message, this.secretKey))
    }
    this.scheduleCollect()
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

  /** SignatureSink: a signature from the thread (a view into the ring). */
  signed(token: number, signature: Buffer): void {
    const i = token - this.first
    if (i === 0) {
      // Next in order (the usual case): straight into the run, no copy kept.
      signature.copy(this.slotInRun(this.slots[0]))
      this.slots.shift()
      this.signatures.shift()
      this.first++
    } else {
      this.signatures[i] = Buffer.from(signature)
    }
  }

  /** SignatureSink: the thread delivered what it had. */
  drained(): void {
    this.collect()
  }

  /** SignatureSink: the thread died with this message queued. */
  orphaned(token: number, message: Buffer): void {
    this.signatures[token - this.first] = sign(message, this.secretKey)
  }

  private scheduleCollect(): void {
    if (this.collectScheduled) return
    this.collectScheduled = true
    queueMicrotask(() => {
      this.collectScheduled = false
      this.collect()
    })
  }

  /** Moves the signed requests at the front (in order) into the run and writes it. */
  private collect(): void {
    let n = 0
    while (n < this.signatures.length) {
      const signature = this.signatures[n]
      if (signature === null) break
      signature.copy(this.slotInRun(this.slots[n]))
      n++
    }
    if (n > 0) {
      this.slots.splice(0, n)
      this.signatures.splice(0, n)
      this.first += n
    }
    this.flush()
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
  static readonly MAX_BACKLOG = 4 * RING_SLOTS
}
