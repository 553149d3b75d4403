// hypercore@9 behind the hypercore workloads' adapter interfaces.
import { fromCallback } from '../../originals/callback.js'
import { hypercore } from '../../originals/hypercore.js'
import { originalStorage } from '../../originals/storage.js'
import type { HypercoreAppendAdapter } from '../../workloads/hypercore-append.js'

export const hypercoreAdapter: HypercoreAppendAdapter = {
  supportsDurable: false,
  async create(storage, dir) {
    const feed = hypercore(originalStorage(storage, dir))
    await fromCallback((cb) => feed.ready(cb))
    return {
      append: (blocks) => fromCallback((cb) => feed.append(blocks, cb)),
      close: () => fromCallback((cb) => feed.close(cb)),
    }
  },
}
