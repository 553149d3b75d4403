// swarm-connect: ms from join to the first connection between two swarm peers on loopback,
// found through a DHT bootstrap node on 127.0.0.1. The original (hyperswarm@2 with a
// @hyperswarm/dht@4 bootstrap node) binds every interface and multicasts, so its worker runs in
// a network namespace of its own holding only loopback.
import { randomBytes } from 'node:crypto'
import { LatencyRecorder } from '../measure.js'
import { lower } from '../metric.js'
import { defineWorkload } from '../workload.js'

/** One swarm as the workload needs it (listening on 127.0.0.1 only). */
export interface BenchSwarm {
  join(topic: Buffer, options: { announce: boolean; lookup: boolean }): Promise<void>
  /** Resolves at this swarm's first connection. */
  firstConnection(): Promise<void>
  destroy(): Promise<void>
}

export interface SwarmConnectAdapter {
  /** A DHT bootstrap node on 127.0.0.1; `address` is `host:port`. */
  bootstrapNode(): Promise<{ address: string; destroy(): Promise<void> }>
  /** A swarm bound to 127.0.0.1 that finds peers through `bootstrap`. */
  createSwarm(bootstrap: string[]): Promise<BenchSwarm>
}

const PAIRS = 5

export const swarmConnect = defineWorkload<SwarmConnectAdapter>({
  name: 'swarm-connect',
  description: 'ms from join to the first connection of two swarms via a loopback DHT',
  cases: ['loopback'],
  networkNamespace: ['originals'],
  adapters: {
    originals: async () => (await import('../adapters/originals/swarm.js')).swarmAdapter,
    ours: async () => (await import('../adapters/ours/swarm.js')).swarmAdapter,
  },
  async run(adapter) {
    const bootstrap = await adapter.bootstrapNode()
    const latency = new LatencyRecorder(PAIRS)
    try {
      for (let i = 0; i < PAIRS; i++) {
        const topic = randomBytes(32)
        const server = await adapter.createSwarm([bootstrap.address])
        const client = await adapter.createSwarm([bootstrap.address])
        try {
          await server.join(topic, { announce: true, lookup: false })
          const start = performance.now()
          const connected = client.firstConnection()
          await client.join(topic, { announce: false, lookup: true })
          await connected
          latency.record(performance.now() - start)
        } finally {
          await Promise.all([client.destroy(), server.destroy()])
        }
      }
    } finally {
      await bootstrap.destroy()
    }
    return [
      lower('first-connection-p50', latency.percentile(50), 'ms'),
      lower('first-connection-max', latency.percentile(100), 'ms'),
    ]
  },
})
