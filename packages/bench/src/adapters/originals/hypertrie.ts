// hypertrie@5 behind the trie workloads' adapter interface.
import { fromCallback } from '../../originals/callback.js'
import { type OriginalTrie, hypertrie } from '../../originals/hypertrie.js'
import { originalStorage } from '../../originals/storage.js'
import type { BenchTrie, TrieAdapter } from '../../workloads/trie-common.js'

function wrapTrie(trie: OriginalTrie): BenchTrie {
  return {
    key: trie.key,
    put: (key, value) => fromCallback((cb) => trie.put(key, value, cb)),
    batch: (entries) =>
      fromCallback((cb) =>
        trie.batch(
          entries.map(({ key, value }) => ({ type: 'put', key, value })),
          cb,
        ),
      ),
    get: async (key) => {
      const node = await fromCallback<OriginalTrieNodeOrNull>((cb) => trie.get(key, cb))
      return node ? node.value : null
    },
    list: async (prefix) => {
      const nodes = await fromCallback<{ key: string }[]>((cb) =>
        trie.list(prefix, { recursive: true }, cb),
      )
      return nodes.map((node) => node.key)
    },
    iterate: (prefix) =>
      new Promise((resolve, reject) => {
        const iterator = trie.iterator(prefix, { recursive: true })
        let count = 0
        const loop = (err: Error | null, node: unknown): void => {
          if (err) reject(err)
          else if (node === null) resolve(count)
          else {
            count++
            iterator.next(loop)
          }
        }
        iterator.next(loop)
      }),
    update: () => fromCallback((cb) => trie.feed.update(cb)),
    replicate: (isInitiator) => trie.replicate(isInitiator, { live: true }),
    close: () => fromCallback((cb) => trie.feed.close(cb)),
  }
}

type OriginalTrieNodeOrNull = { value: Buffer | null } | null

async function open(key: Buffer | null): Promise<BenchTrie> {
  const trie = hypertrie(originalStorage('ram', ''), key, key ? { sparse: true } : {})
  await fromCallback((cb) => trie.ready(cb))
  return wrapTrie(trie)
}

export const trieAdapter: TrieAdapter = {
  create: () => open(null),
  clone: (key) => open(key),
}
