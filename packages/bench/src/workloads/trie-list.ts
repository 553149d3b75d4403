// trie-list: list one directory prefix (1,000 entries at full size) of a 100k-key trie.
import { LatencyRecorder, measure } from '../measure.js'
import { higher, lower } from '../metric.js'
import { scaled } from '../sizes.js'
import { defineWorkload } from '../workload.js'
import { type TrieAdapter, fillTrie, loadOriginalTrie, loadOurTrie } from './trie-common.js'

const LISTS = 20

export const trieList = defineWorkload<TrieAdapter>({
  name: 'trie-list',
  description: 'list a 1,000-entry prefix of a 100k-key trie, 20 different prefixes (RAM)',
  cases: ['prefix'],
  adapters: { originals: loadOriginalTrie, ours: loadOurTrie },
  async run(adapter) {
    const count = scaled(100_000, 100 * LISTS)
    const expected = Math.ceil(count / 100)
    const trie = await adapter.create()
    await fillTrie(trie, count)
    const latency = new LatencyRecorder(LISTS)
    const { seconds, cpuSeconds } = await measure(async () => {
      for (let d = 0; d < LISTS; d++) {
        const keys = await latency.time(() => trie.list(`dir${d}`))
        if (keys.length !== expected) {
          throw new Error(`list dir${d} returned ${keys.length} keys, expected ${expected}`)
        }
      }
    })
    await trie.close()
    return [
      lower('latency-p50', latency.percentile(50), 'ms/list'),
      higher('entries', (LISTS * expected) / seconds, 'entries/s'),
      lower('cpu', cpuSeconds, 'cpu-s'),
    ]
  },
})
