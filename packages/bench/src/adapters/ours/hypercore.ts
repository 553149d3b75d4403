// @hyperstack/hypercore behind the hypercore workloads' adapter interfaces.
import { Hypercore } from '@hyperstack/hypercore'
import type { HypercoreAppendAdapter } from '../../workloads/hypercore-append.js'
import type {
  HypercoreReplicationAdapter,
  ReplicaCore,
} from '../../workloads/hypercore-replicate.js'
import { oursStorage } from './storage.js'

export const hypercoreAdapter: HypercoreAppendAdapter = {
  supportsDurable: true,
  async create(storage, dir, { durable }) {
    const core = new Hypercore(oursStorage(storage, dir), { durable })
    await core.ready()
    return {
      append: async (blocks) => {
        await core.append(blocks)
      },
      close: () => core.close(),
    }
  },
}

function wrapCore(core: Hypercore): ReplicaCore {
  if (!core.key) throw new Error('the core has no key after ready()')
  return {
    key: core.key,
    append: async (blocks) => {
      await core.append(blocks)
    },
    get: async (index) => {
      const block = await core.get(index)
      if (!Buffer.isBuffer(block)) throw new Error(`block ${index} is not a Buffer`)
      return block
    },
    download: (start, end) => core.download({ start, end }),
    replicate: (isInitiator) => core.replicate(isInitiator, { live: true }),
    close: () => core.close(),
  }
}

export const hypercoreReplicationAdapter: HypercoreReplicationAdapter = {
  async create() {
    const core = new Hypercore(oursStorage('ram', ''))
    await core.ready()
    return wrapCore(core)
  },
  async clone(key, { sparse }) {
    const core = new Hypercore(oursStorage('ram', ''), key, { sparse })
    await core.ready()
    return wrapCore(core)
  },
}
