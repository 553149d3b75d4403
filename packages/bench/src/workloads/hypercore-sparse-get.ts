// hypercore-sparse-get: 1,000 random gets, one after another, from a sparse replica of a
// 100k-block core over an in-process stream pair.
import { randomIndexes } from '../blocks.js'
import { connectPair } from '../link.js'
import { LatencyRecorder, measure } from '../measure.js'
import { higher, lower } from '../metric.js'
import { scaled } from '../sizes.js'
import { defineWorkload } from '../workload.js'
import { type HypercoreReplicationAdapter, fillCore } from './hypercore-replicate.js'

export const hypercoreSparseGet = defineWorkload<HypercoreReplicationAdapter>({
  name: 'hypercore-sparse-get',
  description: '1,000 random gets from a sparse replica of a 100k x 1 KiB core',
  cases: ['stream-pair'],
  adapters: {
    originals: async () =>
      (await import('../adapters/originals/hypercore.js')).hypercoreReplicationAdapter,
    ours: async () => (await import('../adapters/ours/hypercore.js')).hypercoreReplicationAdapter,
  },
  async run(adapter) {
    const blocks = scaled(100_000, 1000)
    const gets = 1000
    const writer = await adapter.create()
    await fillCore(writer, blocks)
    const reader = await adapter.clone(writer.key, { sparse: true })
    const a = writer.replicate(true)
    const b = reader.replicate(false)
    connectPair(a, b)
    // The first get also waits for the handshake; take it out of the measured phase.
    await reader.get(blocks - 1)
    const latency = new LatencyRecorder(gets)
    const indexes = randomIndexes(gets, blocks - 1)
    const { seconds, cpuSeconds } = await measure(async () => {
      for (const index of indexes) await latency.time(() => reader.get(index))
    })
    a.destroy()
    b.destroy()
    await Promise.all([writer.close(), reader.close()])
    return [
      higher('throughput', gets / seconds, 'gets/s'),
      lower('latency-p50', latency.percentile(50), 'ms'),
      lower('latency-p99', latency.percentile(99), 'ms'),
      lower('cpu', cpuSeconds, 'cpu-s'),
    ]
  },
})
