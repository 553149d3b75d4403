// hyperswarm@2 (with a @hyperswarm/dht@4 bootstrap node) behind the swarm-connect adapter. The
// worker runs in its own network namespace (only loopback), where binding every interface is
// binding 127.0.0.1.
import { dht } from '../../originals/dht.js'
import { type OriginalSwarm, hyperswarm } from '../../originals/hyperswarm.js'
import type { BenchSwarm, SwarmConnectAdapter } from '../../workloads/swarm-connect.js'

const LOOPBACK = '127.0.0.1'

/** A @hyperswarm/dht@4 node on 127.0.0.1 that bootstraps nothing: the network's only seed. */
export async function originalBootstrapNode(): Promise<{
  address: string
  destroy(): Promise<void>
}> {
  const node = dht({ bootstrap: [], ephemeral: false })
  node.on('warning', () => {})
  await new Promise<void>((resolve) => node.listen(0, LOOPBACK, resolve))
  return {
    address: `${LOOPBACK}:${node.address().port}`,
    destroy: async () => node.destroy(),
  }
}

export function joinSwarm(
  swarm: OriginalSwarm,
  topic: Buffer,
  options: { announce: boolean; lookup: boolean },
): Promise<void> {
  return new Promise((resolve, reject) => {
    swarm.join(topic, options, (err) => (err ? reject(err) : resolve()))
  })
}

export function destroySwarm(swarm: OriginalSwarm): Promise<void> {
  return new Promise((resolve) => swarm.destroy(() => resolve()))
}

export const swarmAdapter: SwarmConnectAdapter = {
  bootstrapNode: originalBootstrapNode,
  async createSwarm(bootstrap): Promise<BenchSwarm> {
    const swarm = hyperswarm({ bootstrap })
    swarm.on('error', () => {})
    return {
      join: (topic, options) => joinSwarm(swarm, topic, options),
      firstConnection: () =>
        new Promise<void>((resolve) => swarm.once('connection', () => resolve())),
      destroy: () => destroySwarm(swarm),
    }
  },
}
