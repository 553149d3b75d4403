// hypercore-replicate: a 100k x 1 KiB core copied to a fresh replica over an in-process stream
// pair and over loopback TCP; MiB/s and CPU seconds (both sides, one process) per GiB moved.
import { GiB, KiB, MiB, blockPool } from '../blocks.js'
import { type ReplicationStream, connectOverTcp, connectPair, tcpPair } from '../link.js'
import { measure } from '../measure.js'
import { higher, lower } from '../metric.js'
import { scaled } from '../sizes.js'
import { defineWorkload } from '../workload.js'

/** A core in memory as the replication workloads need it. */
export interface ReplicaCore {
  key: Buffer
  append(blocks: Buffer[]): Promise<void>
  get(index: number): Promise<Buffer>
  /** Resolves once blocks [start, end) are stored locally. */
  download(start: number, end: number): Promise<void>
  /** A live replication stream (stays open until destroyed). */
  replicate(isInitiator: boolean): ReplicationStream
  close(): Promise<void>
}

export interface HypercoreReplicationAdapter {
  /** A new writable core in memory. */
  create(): Promise<ReplicaCore>
  /** A readable replica of `key` in memory; sparse replicas fetch only what is asked for. */
  clone(key: Buffer, options: { sparse: boolean }): Promise<ReplicaCore>
}

/** Appends `count` 1 KiB blocks in batches of 1,000 (setup, never measured). */
export async function fillCore(core: ReplicaCore, count: number): Promise<void> {
  const pool = blockPool(1000, KiB)
  for (let done = 0; done < count; done += pool.length) {
    await core.append(pool.slice(0, Math.min(pool.length, count - done)))
  }
}

export const hypercoreReplicate = defineWorkload<HypercoreReplicationAdapter>({
  name: 'hypercore-replicate',
  description: '100k x 1 KiB replicated to a fresh core over a stream pair and loopback TCP',
  cases: ['stream-pair', 'tcp'],
  adapters: {
    originals: async () =>
      (await import('../adapters/originals/hypercore.js')).hypercoreReplicationAdapter,
    ours: async () => (await import('../adapters/ours/hypercore.js')).hypercoreReplicationAdapter,
  },
  async run(adapter, { caseName }) {
    const blocks = scaled(100_000, 1000)
    const writer = await adapter.create()
    await fillCore(writer, blocks)
    const reader = await adapter.clone(writer.key, { sparse: true })
    const a = writer.replicate(true)
    const b = reader.replicate(false)
    const tcp = caseName === 'tcp' ? await tcpPair() : null
    const { seconds, cpuSeconds } = await measure(async () => {
      if (tcp) connectOverTcp(a, b, tcp)
      else connectPair(a, b)
      await reader.download(0, blocks)
    })
    a.destroy()
    b.destroy()
    await tcp?.close()
    await Promise.all([writer.close(), reader.close()])
    const bytes = blocks * KiB
    return [
      higher('throughput', bytes / MiB / seconds, 'MiB/s'),
      lower('cpu-per-gib', cpuSeconds / (bytes / GiB), 'cpu-s/GiB'),
      lower('time', seconds * 1000, 'ms'),
    ]
  },
})
