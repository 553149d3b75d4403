// trie-iterate: walk all 100k entries of a trie in memory with its iterator.
import { measure } from '../measure.js'
import { higher, lower } from '../metric.js'
import { scaled } from '../sizes.js'
import { defineWorkload } from '../workload.js'
import { type TrieAdapter, fillTrie, loadOriginalTrie, loadOurTrie } from './trie-common.js'

export const trieIterate = defineWorkload<TrieAdapter>({
  name: 'trie-iterate',
  description: 'iterate all entries of a 100k-key trie (RAM)',
  cases: ['all'],
  adapters: { originals: loadOriginalTrie, ours: loadOurTrie },
  async run(adapter) {
    const count = scaled(100_000, 100)
    const trie = await adapter.create()
    await fillTrie(trie, count)
    const { value: seen, seconds, cpuSeconds } = await measure(() => trie.iterate(''))
    await trie.close()
    if (seen !== count) throw new Error(`iterated ${seen} entries, expected ${count}`)
    return [
      higher('throughput', count / seconds, 'entries/s'),
      lower('time', seconds * 1000, 'ms'),
      lower('cpu', cpuSeconds, 'cpu-s'),
    ]
  },
})
