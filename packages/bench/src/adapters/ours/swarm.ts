// @hyperstack/hyperswarm (with @hyperstack/hyperswarm-dht) behind the swarm-connect adapter.
import { Hyperswarm } from '@hyperstack/hyperswarm'
import { createBootstrapNode } from '@hyperstack/hyperswarm-dht'
import type { SwarmConnectAdapter } from '../../workloads/swarm-connect.js'

const LOOPBACK = '127.0.0.1'

export const swarmAdapter: SwarmConnectAdapter = {
  async bootstrapNode() {
    const node = await createBootstrapNode({ port: 0, host: LOOPBACK })
    return { address: `${LOOPBACK}:${node.address().port}`, destroy: () => node.destroy() }
  },
  async createSwarm(bootstrap) {
    const swarm = new Hyperswarm({ bootstrap, host: LOOPBACK, holepunch: false })
    swarm.on('error', () => {})
    return {
      join: (topic, options) => swarm.join(topic, options),
      firstConnection: () =>
        new Promise<void>((resolve) => swarm.once('connection', () => resolve())),
      destroy: () => swarm.destroy(),
    }
  },
}
