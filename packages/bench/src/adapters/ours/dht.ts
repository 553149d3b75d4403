// @hyperstack/hyperswarm-dht behind the dht-lookup adapter interface.
import { DHT } from '@hyperstack/hyperswarm-dht'
import type { BenchDhtNode, DhtLookupAdapter } from '../../workloads/dht-lookup.js'

const LOOPBACK = '127.0.0.1'

function wrapNode(node: DHT): BenchDhtNode {
  return {
    address: { host: LOOPBACK, port: node.address().port },
    async announce(topic, port) {
      const stream = node.announce(topic, { port })
      stream.resume()
      await stream.finished()
    },
    async lookup(topic, onPeer) {
      for await (const reply of node.lookup(topic)) {
        for (const peer of reply.peers) onPeer(peer)
      }
    },
    destroy: () => node.destroy(),
  }
}

export const dhtAdapter: DhtLookupAdapter = {
  async createNode(bootstrap) {
    const node = new DHT({ bootstrap, ephemeral: false, host: LOOPBACK })
    node.on('warning', () => {})
    await node.listen(0, LOOPBACK)
    await node.ready()
    return wrapNode(node)
  },
}
