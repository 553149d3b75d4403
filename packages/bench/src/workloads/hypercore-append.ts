// hypercore-append: 100k x 1 KiB appended one by one and in batches of 100, RAM and file storage.
import { KiB, blockPool } from '../blocks.js'
import { LatencyRecorder, measure } from '../measure.js'
import { type Metric, higher, lower } from '../metric.js'
import { scaled } from '../sizes.js'
import { defineWorkload } from '../workload.js'

export type StorageKind = 'ram' | 'file'

/** A writable core as this workload needs it. */
export interface AppendableCore {
  append(blocks: Buffer | Buffer[]): Promise<void>
  close(): Promise<void>
}

export interface HypercoreAppendAdapter {
  /** Whether `create` honours `durable` (fsync before an append resolves). */
  supportsDurable: boolean
  /** A new writable core in memory, or in files under `dir`. */
  create(storage: StorageKind, dir: string, options: { durable: boolean }): Promise<AppendableCore>
}

const BATCH = 100

interface AppendCase {
  storage: StorageKind
  batch: boolean
  durable: boolean
}

const CASES: Record<string, AppendCase> = {
  'ram-single': { storage: 'ram', batch: false, durable: false },
  'ram-batch': { storage: 'ram', batch: true, durable: false },
  'file-single': { storage: 'file', batch: false, durable: false },
  'file-batch': { storage: 'file', batch: true, durable: false },
  'file-single-durable': { storage: 'file', batch: false, durable: true },
}

export const hypercoreAppend = defineWorkload<HypercoreAppendAdapter>({
  name: 'hypercore-append',
  description: '100k x 1 KiB appends, single and in batches of 100, RAM and file storage',
  cases: Object.keys(CASES),
  adapters: {
    originals: async () => (await import('../adapters/originals/hypercore.js')).hypercoreAdapter,
    ours: async () => (await import('../adapters/ours/hypercore.js')).hypercoreAdapter,
  },
  async run(adapter, { caseName, dir }) {
    const { storage, batch, durable } = CASES[caseName]
    // The original has no durable mode: nothing to measure (its row stays empty).
    if (durable && !adapter.supportsDurable) return []
    // fsync per append costs milliseconds each: a durable run appends 1/20 of the blocks,
    // which is enough for a stable blocks/s figure and keeps the run bounded.
    const total = scaled(durable ? 5_000 : 100_000, BATCH)
    const pool = blockPool(BATCH, KiB)
    const core = await adapter.create(storage, dir, { durable })
    const calls = batch ? Math.floor(total / BATCH) : total
    const latency = new LatencyRecorder(calls)
    const { seconds, cpuSeconds } = await measure(async () => {
      if (batch) {
        for (let i = 0; i < calls; i++) await latency.time(() => core.append(pool))
      } else {
        for (let i = 0; i < calls; i++) await latency.time(() => core.append(pool[i % BATCH]))
      }
    })
    await core.close()
    const blocks = batch ? calls * BATCH : calls
    const metrics: Metric[] = [
      higher('throughput', blocks / seconds, 'blocks/s'),
      lower('latency-p50', latency.percentile(50) * 1000, batch ? 'us/batch' : 'us/append'),
      lower('latency-p99', latency.percentile(99) * 1000, batch ? 'us/batch' : 'us/append'),
      lower('cpu', cpuSeconds, 'cpu-s'),
    ]
    return metrics
  },
})
