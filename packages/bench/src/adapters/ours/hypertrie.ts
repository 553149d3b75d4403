// @hyperstack/hypertrie behind the trie workloads' adapter interface.
import { Hypertrie } from '@hyperstack/hypertrie'
import { asReplicationStream } from '../../link.js'
import type { BenchTrie, TrieAdapter } from '../../workloads/trie-common.js'
import { oursStorage } from './storage.js'

function wrapTrie(trie: Hypertrie): BenchTrie {
  if (!trie.key) throw new Error('the trie has no key after ready()')
  return {
    key: trie.key,
    put: async (key, value) => {
      await trie.put(key, value)
    },
    batch: async (entries) => {
      await trie.batch(entries.map(({ key, value }) => ({ type: 'put', key, value })))
    },
    get: async (key) => {
      const node = await trie.get(key)
      if (node === null) return null
      if (!Buffer.isBuffer(node.value)) throw new Error(`value of ${key} is not a Buffer`)
      return node.value
    },
    list: async (prefix) => (await trie.list(prefix, { recursive: true })).map((n) => n.key),
    iterate: async (prefix) => {
      const iterator = trie.iterator(prefix, { recursive: true })
      let count = 0
      while ((await iterator.next()) !== null) count++
      return count
    },
    update: async () => {
      if (!trie.feed.update) throw new Error('the trie feed cannot update')
      await trie.feed.update()
    },
    replicate: (isInitiator) => asReplicationStream(trie.replicate(isInitiator, { live: true })),
    close: () => trie.close(),
  }
}

async function open(key: Buffer | null): Promise<BenchTrie> {
  const trie = new Hypertrie(oursStorage('ram', ''), key, key ? { sparse: true } : {})
  await trie.ready()
  return wrapTrie(trie)
}

export const trieAdapter: TrieAdapter = {
  create: () => open(null),
  clone: (key) => open(key),
}
