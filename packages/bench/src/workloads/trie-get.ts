// trie-get: 100k random gets, one after another, from a 100k-key trie in memory.
import { randomIndexes } from '../blocks.js'
import { LatencyRecorder, measure } from '../measure.js'
import { higher, lower } from '../metric.js'
import { scaled } from '../sizes.js'
import { defineWorkload } from '../workload.js'
import {
  type TrieAdapter,
  fillTrie,
  loadOriginalTrie,
  loadOurTrie,
  trieKey,
  trieValue,
} from './trie-common.js'

export const trieGet = defineWorkload<TrieAdapter>({
  name: 'trie-get',
  description: '100k random gets from a 100k-key trie (RAM)',
  cases: ['random'],
  adapters: { originals: loadOriginalTrie, ours: loadOurTrie },
  async run(adapter) {
    const count = scaled(100_000, 100)
    const trie = await adapter.create()
    await fillTrie(trie, count)
    const indexes = randomIndexes(count, count)
    const latency = new LatencyRecorder(count)
    const { seconds, cpuSeconds } = await measure(async () => {
      for (const i of indexes) {
        const value = await latency.time(() => trie.get(trieKey(i)))
        if (value === null || !value.equals(trieValue(i))) {
          throw new Error(`get ${trieKey(i)} returned the wrong value`)
        }
      }
    })
    await trie.close()
    return [
      higher('throughput', count / seconds, 'gets/s'),
      lower('latency-p50', latency.percentile(50) * 1000, 'us/get'),
      lower('latency-p99', latency.percentile(99) * 1000, 'us/get'),
      lower('cpu', cpuSeconds, 'cpu-s'),
    ]
  },
})
