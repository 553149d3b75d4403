// Ed25519 signing of append signables off the main thread (a worker), batched per turn of the event loop.
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { sign } from './crypto.js'

const require = createRequire(import.meta.url)

// The worker is a plain CommonJS script (eval) so it runs the same from src (tests) and dist.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const sodium = require(workerData.sodium)
const keys = new Map()
parentPort.on('message', (msg) => {
  if (msg.key) { keys.set(msg.keyId, Buffer.from(msg.key)); return }
  if (msg.forget) { keys.delete(msg.keyId); return }
  const sk = keys.get(msg.keyId)
  const input = Buffer.from(msg.input)
  const count = input.length / 40
  const out = Buffer.alloc(64 * count)
  for (let i = 0; i < count; i++) {
    sodium.crypto_sign_detached(out.subarray(64 * i, 64 * i + 64), input.subarray(40 * i, 40 * i + 40), sk)
  }
  parentPort.postMessage({ id: msg.id, output: out.buffer }, [out.buffer])
})
`

/** Jobs queued in one turn that start the worker. */
const WORKER_AT = 16
/** Jobs queued in one turn beyond this go to the worker at once. */
const EAGER_BATCH = 64
/**
 * Batches of one signer at the worker at a time. Further requests queue until one returns, so the
 * batch size follows the worker's speed (appends that yield every turn would otherwise post one
 * message per signature).
 */
const MAX_INFLIGHT_BATCHES = 2

interface Job {
  message: Buffer
  resolve: (sig: Buffer) => void
  reject: (err: Error) => void
}

interface Batch {
  jobs: Job[]
  /** Called once the batch is answered (or failed). */
  done: () => void
}

let shared: SharedWorker | null = null

/** One worker shared by every core in the process; unref'd so it never keeps the process alive. */
class SharedWorker {
  readonly worker: Worker
  private nextId = 1
  private nextKeyId = 1
  private readonly inflight = new Map<number, Batch>()
  private failed: Error | null = null

  constructor() {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { sodium: require.resolve('sodium-native') },
    })
    this.worker.unref()
    this.worker.on('message', (msg: { id: number; output: ArrayBuffer }) => {
      const batch = this.inflight.get(msg.id)
      if (!batch) return
      this.inflight.delete(msg.id)
      if (this.inflight.size === 0) this.worker.unref()
      const out = Buffer.from(msg.output)
      for (let i = 0; i < batch.jobs.length; i++)
        batch.jobs[i].resolve(out.subarray(64 * i, 64 * i + 64))
      batch.done()
    })
    this.worker.on('error', (err) => this.fail(err))
    this.worker.on('exit', () => this.fail(new Error('signing worker exited')))
  }

  private fail(err: Error): void {
    this.failed = err
    if (shared === this) shared = null
    const batches = [...this.inflight.values()]
    this.inflight.clear()
    for (const batch of batches) {
      for (const job of batch.jobs) job.reject(err)
      batch.done()
    }
  }

  get broken(): boolean {
    return this.failed !== null
  }

  addKey(secretKey: Buffer): number {
    const keyId = this.nextKeyId++
    this.worker.postMessage({ keyId, key: Uint8Array.from(secretKey) })
    return keyId
  }

  forgetKey(keyId: number): void {
    if (!this.failed) this.worker.postMessage({ keyId, forget: true })
  }

  submit(keyId: number, jobs: Job[], done: () => void): void {
    const id = this.nextId++
    // Not allocUnsafe: small unsafe buffers share the pool, whose ArrayBuffer must not be transferred.
    const input = Buffer.from(new ArrayBuffer(40 * jobs.length))
    for (let i = 0; i < jobs.length; i++) jobs[i].message.copy(input, 40 * i)
    this.inflight.set(id, { jobs, done })
    this.worker.ref()
    this.worker.postMessage({ id, keyId, input: input.buffer }, [input.buffer])
  }
}

function getWorker(): SharedWorker | null {
  if (shared && !shared.broken) return shared
  try {
    shared = new SharedWorker()
  } catch {
    shared = null
  }
  return shared
}

/**
 * Signs 40-byte signables with one secret key. Requests made in the same turn go to the worker as
 * one message; Ed25519 is deterministic, so the signatures are the ones signing inline would give.
 */
export class Signer {
  private readonly secretKey: Buffer
  private queue: Job[] = []
  private scheduled = false
  private keyId = 0
  private worker: SharedWorker | null = null
  private inflightBatches = 0

  private readonly useWorker: boolean

  /** `useWorker`: sign bursts on the shared worker thread; false signs every message inline. */
  constructor(secretKey: Buffer, useWorker = false) {
    this.secretKey = secretKey
    this.useWorker = useWorker
  }

  sign(message: Buffer): Promise<Buffer> {
    if (!this.useWorker) {
      try {
        return Promise.resolve(sign(message, this.secretKey))
      } catch (err) {
        return Promise.reject(err)
      }
    }
    return new Promise<Buffer>((resolve, reject) => {
      this.queue.push({ message, resolve, reject })
      // A loop of appends on memory storage never yields to setImmediate: hand full batches to
      // the worker right away so it signs while the main thread keeps appending.
      if (this.queue.length >= EAGER_BATCH) {
        this.flush()
        return
      }
      if (!this.scheduled) {
        this.scheduled = true
        setImmediate(() => {
          this.scheduled = false
          this.flush()
        })
      }
    })
  }

  private flush(): void {
    if (!this.queue.length) return
    // A worker (and its memory) only once signing comes in bursts; a few per turn sign inline.
    const worker =
      this.useWorker && (this.queue.length >= WORKER_AT || this.worker) ? this.ensureWorker() : null
    // Small batches wait for one to return (sent then); full ones go at once, so a tight loop of
    // appends that does not yield keeps the worker busy instead of finding it idle when it does.
    if (worker && this.inflightBatches >= MAX_INFLIGHT_BATCHES && this.queue.length < EAGER_BATCH)
      return
    const jobs = this.queue
    this.queue = []
    if (!worker) {
      for (const job of jobs) job.resolve(sign(job.message, this.secretKey))
      return
    }
    this.inflightBatches++
    worker.submit(this.keyId, jobs, () => {
      this.inflightBatches--
      this.flush()
    })
  }

  private ensureWorker(): SharedWorker | null {
    if (this.worker && !this.worker.broken) return this.worker
    this.worker = getWorker()
    if (this.worker) this.keyId = this.worker.addKey(this.secretKey)
    return this.worker
  }

  close(): void {
    if (this.worker && this.keyId) this.worker.forgetKey(this.keyId)
    this.worker = null
  }
}
