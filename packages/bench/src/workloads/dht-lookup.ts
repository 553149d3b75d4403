// dht-lookup: a 50-node DHT on 127.0.0.1 (one bootstrap node, explicit loopback bootstrap, no
// public network); nodes announce topics and other nodes look them up. Reports ms until the
// announcer is found (median, p99) and UDP datagrams sent, by every node, per lookup.
import { randomBytes } from 'node:crypto'
import { Socket } from 'node:dgram'
import { randomIndexes } from '../blocks.js'
import { LatencyRecorder, measure } from '../measure.js'
import { higher, lower } from '../metric.js'
import { defineWorkload } from '../workload.js'

export interface DhtPeerAddress {
  host: string
  port: number
}

/** One DHT node as the workload needs it. */
export interface BenchDhtNode {
  /** The UDP address it listens on (always 127.0.0.1). */
  address: DhtPeerAddress
  /** Announces that `port` on this node's host serves `topic`; resolves when stored. */
  announce(topic: Buffer, port: number): Promise<void>
  /** Looks `topic` up, calling `onPeer` for each peer found; resolves when the lookup ends. */
  lookup(topic: Buffer, onPeer: (peer: DhtPeerAddress) => void): Promise<void>
  destroy(): Promise<void>
}

export interface DhtLookupAdapter {
  /**
   * Starts a non-ephemeral node bound to 127.0.0.1 that bootstraps from `bootstrap`
   * (`host:port`; empty for the first node) and resolves once it has bootstrapped.
   */
  createNode(bootstrap: string[]): Promise<BenchDhtNode>
}

const NODES = 50
const LOOKUPS = 30

/** Counts every UDP datagram any socket in this process sends, whichever DHT sends it. */
function countDatagrams(): { count(): number; restore(): void } {
  const original = Socket.prototype.send
  let sent = 0
  Socket.prototype.send = function (this: Socket, ...args: Parameters<Socket['send']>) {
    sent++
    return original.apply(this, args)
  } as Socket['send']
  return {
    count: () => sent,
    restore: () => {
      Socket.prototype.send = original
    },
  }
}

export const dhtLookup = defineWorkload<DhtLookupAdapter>({
  name: 'dht-lookup',
  description: 'find an announcer in a 50-node loopback DHT: ms to find, datagrams per lookup',
  cases: ['loopback-50'],
  adapters: {
    originals: async () => (await import('../adapters/originals/dht.js')).dhtAdapter,
    ours: async () => (await import('../adapters/ours/dht.js')).dhtAdapter,
  },
  async run(adapter) {
    const datagrams = countDatagrams()
    const nodes: BenchDhtNode[] = []
    try {
      const first = await adapter.createNode([])
      nodes.push(first)
      const bootstrap = [`${first.address.host}:${first.address.port}`]
      // Start the rest a few at a time so each bootstraps into a growing network.
      while (nodes.length < NODES) {
        const batch = Math.min(7, NODES - nodes.length)
        nodes.push(
          ...(await Promise.all(
            Array.from({ length: batch }, () => adapter.createNode(bootstrap)),
          )),
        )
      }
      const found = new LatencyRecorder(LOOKUPS)
      const messages = new LatencyRecorder(LOOKUPS)
      const announcers = randomIndexes(LOOKUPS, NODES, 11)
      const lookers = randomIndexes(LOOKUPS, NODES, 13)
      let misses = 0
      const { seconds, cpuSeconds } = await measure(async () => {
        for (let i = 0; i < LOOKUPS; i++) {
          const topic = randomBytes(32)
          const port = 20_000 + i
          const announcer = nodes[announcers[i]]
          const looker = nodes[lookers[i] === announcers[i] ? (lookers[i] + 1) % NODES : lookers[i]]
          await announcer.announce(topic, port)
          const before = datagrams.count()
          const start = performance.now()
          let foundAt = -1
          await looker.lookup(topic, (peer) => {
            if (foundAt < 0 && peer.port === port) foundAt = performance.now() - start
          })
          messages.record(datagrams.count() - before)
          if (foundAt < 0) misses++
          else found.record(foundAt)
        }
      })
      return [
        lower('find-p50', found.percentile(50), 'ms'),
        lower('find-p99', found.percentile(99), 'ms'),
        lower('messages-per-lookup', messages.percentile(50), 'datagrams'),
        lower('misses', misses, 'lookups'),
        higher('lookups', LOOKUPS / seconds, 'lookups/s'),
        lower('cpu', cpuSeconds, 'cpu-s'),
      ]
    } finally {
      await Promise.all(nodes.map((node) => node.destroy()))
      datagrams.restore()
    }
  },
})
