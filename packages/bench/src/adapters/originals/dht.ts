// @hyperswarm/dht@4 behind the dht-lookup adapter interface.
import { fromCallback } from '../../originals/callback.js'
import { type OriginalDhtNode, dht } from '../../originals/dht.js'
import type { BenchDhtNode, DhtLookupAdapter } from '../../workloads/dht-lookup.js'

const LOOPBACK = '127.0.0.1'

function wrapNode(node: OriginalDhtNode): BenchDhtNode {
  return {
    address: { host: LOOPBACK, port: node.address().port },
    announce: (topic, port) =>
      fromCallback((cb) => {
        node.announce(topic, { port }, cb)
      }),
    lookup: (topic, onPeer) =>
      new Promise((resolve, reject) => {
        const stream = node.lookup(topic)
        stream.on('data', (result: { peers?: { host: string; port: number }[] }) => {
          for (const peer of result.peers ?? []) onPeer(peer)
        })
        stream.on('end', resolve)
        stream.on('error', reject)
      }),
    destroy: async () => node.destroy(),
  }
}

export const dhtAdapter: DhtLookupAdapter = {
  async createNode(bootstrap) {
    const node = dht({ bootstrap, ephemeral: false })
    node.on('warning', () => {})
    // Bind before the first bootstrap message goes out, so nothing listens beyond loopback.
    await new Promise<void>((resolve) => node.listen(0, LOOPBACK, resolve))
    await new Promise<void>((resolve) => node.ready(resolve))
    return wrapNode(node)
  },
}
