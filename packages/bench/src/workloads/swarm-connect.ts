// swarm-connect: ms from join to first connection on a loopback swarm. Not run yet: see the
// reason below (printed by the CLI).
import { defineWorkload } from '../workload.js'

export const swarmConnect = defineWorkload<never>({
  name: 'swarm-connect',
  description: 'ms from join to the first connection between two swarm peers on loopback',
  cases: ['loopback'],
  adapters: {},
  skipReason:
    'not built yet: the original hyperswarm@2 is not a dependency of bench, and it binds every ' +
    'interface and multicasts, so it must run inside a network namespace; ours needs ' +
    '@hyperstack/hyperswarm to export a swarm',
  async run() {
    throw new Error('swarm-connect is not implemented')
  },
})
