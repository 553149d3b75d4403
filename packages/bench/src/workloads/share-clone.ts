// share-clone: the examples' share/clone flow over loopback through the DHT. Not run yet: see
// the reason below (printed by the CLI).
import { defineWorkload } from '../workload.js'

export const shareClone = defineWorkload<never>({
  name: 'share-clone',
  description: '10k x 1 KiB + one 256 MiB file shared and cloned over loopback via the DHT',
  cases: ['loopback'],
  adapters: {},
  skipReason:
    'not built yet: it needs our share/clone examples (not landed) and, for the originals, ' +
    'hyperdrive@10 + hyperswarm@2 run inside a network namespace (hyperswarm@2 binds every ' +
    'interface and multicasts); hyperswarm@2 is not yet a dependency of bench',
  async run() {
    throw new Error('share-clone is not implemented')
  },
})
