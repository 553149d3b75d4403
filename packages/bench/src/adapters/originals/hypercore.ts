// hypercore@9 behind the hypercore workloads' adapter interfaces.
import { fromCallback } from '../../originals/callback.js'
import { type OriginalFeed, hypercore } from '../../originals/hypercore.js'
import { originalStorage } from '../../originals/storage.js'
import type { HypercoreAppendAdapter } from '../../workloads/hypercore-append.js'
import type {
  HypercoreReplicationAdapter,
  ReplicaCore,
} from '../../workloads/hypercore-replicate.js'

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

function wrapFeed(feed: OriginalFeed): ReplicaCore {
  return {
    key: feed.key,
    append: (blocks) => fromCallback((cb) => feed.append(blocks, cb)),
    get: (index) => fromCallback<Buffer>((cb) => feed.get(index, cb)),
    download: (start, end) => fromCallback((cb) => feed.download({ start, end }, cb)),
    replicate: (isInitiator) => feed.replicate(isInitiator, { live: true }),
    close: () => fromCallback((cb) => feed.close(cb)),
  }
}

export const hypercoreReplicationAdapter: HypercoreReplicationAdapter = {
  async create() {
    const feed = hypercore(originalStorage('ram', ''))
    await fromCallback((cb) => feed.ready(cb))
    return wrapFeed(feed)
  },
  async clone(key, { sparse }) {
    const feed = hypercore(originalStorage('ram', ''), key, { sparse })
    await fromCallback((cb) => feed.ready(cb))
    return wrapFeed(feed)
  },
}
