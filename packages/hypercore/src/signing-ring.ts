// One Ed25519 signing thread per process, fed through a ring of slots in shared memory: the main
// thread copies a 40-byte signable and its secret key into the next slot and moves `head`; the
// worker signs slots in order and moves `done`. No message, promise or buffer is made per
// signature, so signing off the main thread costs no garbage (and no heap growth) on either side.
import type { Worker } from 'node:worker_threads'
import {
  DONE,
  HEAD,
  SLEEPING,
  currentOrStarted,
  ringThreadSource,
  startHelperThread,
} from './helper-thread.js'

/** Slots in the ring (a power of two: positions are counters masked by SLOTS - 1). */
export const RING_SLOTS = 1024
const MESSAGE_BYTES = 40
const SECRET_KEY_BYTES = 64
const SIGNATURE_BYTES = 64
const SLOT_BYTES = MESSAGE_BYTES + SECRET_KEY_BYTES + SIGNATURE_BYTES
/**
 * Submissions that wake a sleeping worker at once; fewer wait for the end of the event-loop turn.
 * Waking is a futex syscall, dearer than a signature on some kernels (gVisor): once per batch.
 */
const WAKE_BATCH = 256

// It publishes `done` every 256 signatures, so the main thread can write the first signatures of
// a long burst while the rest are signed.
const WORKER_SOURCE = ringThreadSource(
  `const { slots, slotBytes, messageBytes, keyBytes } = workerData
const memory = Buffer.from(workerData.memory)
const views = []
for (let i = 0; i < slots; i++) {
  const at = i * slotBytes
  views.push({
    message: memory.subarray(at, at + messageBytes),
    key: memory.subarray(at + messageBytes, at + messageBytes + keyBytes),
    signature: memory.subarray(at + messageBytes + keyBytes, at + slotBytes),
  })
}`,
  `const v = views[done & (slots - 1)]
    sodium.crypto_sign_detached(v.signature, v.message, v.key)
    v.key.fill(0) // no secret key stays in shared memory once used`,
  256,
)

/** Who gets a signature once the worker made it; `token` is the number it submitted with. */
export interface SignatureSink {
  /** `signature` is a view into the ring, valid only during the call: copy it. */
  signed(token: number, signature: Buffer): void
  /** Called after a drain delivered one or more signatures to this sink. */
  drained(): void
  /** The worker died: sign these inline (messages are views into the ring: use them now). */
  orphaned(token: number, message: Buffer): void
}

/** The ring and its worker; `SigningRing.get()` returns null where worker threads are unavailable. */
export class SigningRing {
  private readonly control: Int32Array
  private readonly memory: Buffer
  private readonly worker: Worker
  private readonly sinks: (SignatureSink | null)[] = new Array(RING_SLOTS).fill(null)
  private readonly tokens = new Float64Array(RING_SLOTS)
  private head = 0
  /** Signatures handed to their sinks. */
  private seen = 0
  private watching = false
  private referenced = false
  private broken = false
  private readonly touched: SignatureSink[] = []
  /** Submitted since the worker was last woken. */
  private unannounced = 0
  private wakeScheduled = false
  private readonly wakeLater = (): void => {
    this.wakeScheduled = false
    this.hurry()
  }

  private constructor() {
    const control = new SharedArrayBuffer(4 * 4)
    const memory = new SharedArrayBuffer(RING_SLOTS * SLOT_BYTES)
    this.control = new Int32Array(control)
    this.memory = Buffer.from(memory)
    this.worker = startHelperThread(
      WORKER_SOURCE,
      {
        control,
        memory,
        slots: RING_SLOTS,
        slotBytes: SLOT_BYTES,
        messageBytes: MESSAGE_BYTES,
        keyBytes: SECRET_KEY_BYTES,
      },
      () => this.fail(),
    )
  }

  private static shared: SigningRing | null = null

  /** The process's ring, started on first use. */
  static get(): SigningRing | null {
    SigningRing.shared = currentOrStarted(
      SigningRing.shared,
      (owner) => !owner.broken,
      () => new SigningRing(),
    )
    return SigningRing.shared
  }

  get usable(): boolean {
    return !this.broken
  }

  /** Free slots. */
  private get room(): number {
    return RING_SLOTS - ((this.head - this.seen) | 0)
  }

  /**
   * Queues `message` (40 bytes) for signing with `secretKey`; the signature reaches
   * `sink.signed(token, ...)`. False when the ring is full or broken (the caller signs inline).
   */
  submit(sink: SignatureSink, token: number, message: Buffer, secretKey: Buffer): boolean {
    if (this.broken) return false
    // A loop that never yields does not see the worker's progress: take it in here.
    if (this.room === 0) this.drain()
    if (this.room === 0) return false
    const position = this.head & (RING_SLOTS - 1)
    const at = position * SLOT_BYTES
    message.copy(this.memory, at, 0, MESSAGE_BYTES)
    secretKey.copy(this.memory, at + MESSAGE_BYTES, 0, SECRET_KEY_BYTES)
    this.sinks[position] = sink
    this.tokens[position] = token
    this.head = (this.head + 1) | 0
    Atomics.store(this.control, HEAD, this.head)
    if (++this.unannounced >= WAKE_BATCH) this.hurry()
    else if (!this.wakeScheduled) {
      this.wakeScheduled = true
      setImmediate(this.wakeLater)
    }
    if (!this.referenced) {
      // Keeps the process alive until every queued signature is back (waitAsync alone does not).
      this.referenced = true
      this.worker.ref()
    }
    this.watch()
    return true
  }

  /** Wakes the worker for what was submitted (someone waits for a signature, or a batch is full). */
  hurry(): void {
    if (this.unannounced === 0) return
    this.unannounced = 0
    if (Atomics.load(this.control, SLEEPING) === 1) Atomics.notify(this.control, HEAD)
  }

  /** Arms one wait for the worker's progress (at most one is pending). */
  private watch(): void {
    if (this.watching || this.broken) return
    this.watching = true
    const wait = Atomics.waitAsync(this.control, DONE, this.seen)
    if (!wait.async) queueMicrotask(this.onProgress)
    else void wait.value.then(this.onProgress)
  }

  private readonly onProgress = (): void => {
    this.watching = false
    this.drain()
  }

  /** Hands what the worker signed to its sinks. */
  private drain(): void {
    if (this.broken) return
    const done = Atomics.load(this.control, DONE)
    while (this.seen !== done) {
      const position = this.seen & (RING_SLOTS - 1)
      const sink = this.sinks[position] as SignatureSink
      this.sinks[position] = null
      const at = position * SLOT_BYTES + MESSAGE_BYTES + SECRET_KEY_BYTES
      sink.signed(this.tokens[position], this.memory.subarray(at, at + SIGNATURE_BYTES))
      if (!this.touched.includes(sink)) this.touched.push(sink)
      this.seen = (this.seen + 1) | 0
    }
    this.settle()
  }

  /** After a drain: sinks write what they got, and the ring re-arms. */
  private settle(): void {
    for (const sink of this.touched.splice(0)) sink.drained()
    if (this.seen !== this.head) this.watch()
    else if (this.referenced) {
      this.referenced = false
      this.worker.unref()
    }
  }

  /** The worker is gone: hand every queued message back to its sink to sign inline. */
  private fail(): void {
    if (this.broken) return
    this.broken = true
    if (SigningRing.shared === this) SigningRing.shared = null
    while (this.seen !== this.head) {
      const position = this.seen & (RING_SLOTS - 1)
      const sink = this.sinks[position] as SignatureSink
      this.sinks[position] = null
      const at = position * SLOT_BYTES
      sink.orphaned(this.tokens[position], this.memory.subarray(at, at + MESSAGE_BYTES))
      if (!this.touched.includes(sink)) this.touched.push(sink)
      this.seen = (this.seen + 1) | 0
    }
    this.settle()
  }

  /** Stops the worker (tests of the fallback); queued messages are handed back to sign inline. */
  async terminate(): Promise<void> {
    await this.worker.terminate()
    this.fail()
  }
}
