// share-clone: the examples' share/clone flow over loopback through the DHT. Not run yet: see
// the reason below (printed by the CLI).
import { defineWorkload } from '../workload.js'

export const shareClone = defineWorkload<never>({
  name: 'share-clone',
  description: '10k x 1 KiB + one 256 MiB file shared and cloned over loopback via the DHT',
  cases: ['loopback'],
  adapters: {},
  skipReason:
    'for now: the originals need hyperdrive@10 + hyperswarm@2 run inside a network ' +
    'namespace (hyperswarm@2 binds every interface and multicasts) and hyperswarm@2 is not a ' +
    'dependency of bench; the ours-alone flow over the share/clone examples is not written yet',
  async run() {
    throw new Error('share-clone is not implemented')
  },
})
