// trie-put: 100k keys `dir{i%100}/file{i}` put one by one and in batches of 100.
import { LatencyRecorder, measure } from '../measure.js'
import { higher, lower } from '../metric.js'
import { scaled } from '../sizes.js'
import { defineWorkload } from '../workload.js'
import {
  TRIE_BATCH,
  type TrieAdapter,
  type TrieEntry,
  loadOriginalTrie,
  loadOurTrie,
  trieKey,
  trieValue,
} from './trie-common.js'

export const triePut = defineWorkload<TrieAdapter>({
  name: 'trie-put',
  description: '100k puts of dir{i%100}/file{i}, one by one and in batches of 100 (RAM)',
  cases: ['single', 'batch'],
  adapters: { originals: loadOriginalTrie, ours: loadOurTrie },
  async run(adapter, { caseName }) {
    const count = scaled(100_000, TRIE_BATCH)
    const batched = caseName === 'batch'
    const trie = await adapter.create()
    const latency = new LatencyRecorder(count)
    const { seconds, cpuSeconds } = await measure(async () => {
      if (!batched) {
        for (let i = 0; i < count; i++) await latency.time(() => trie.put(trieKey(i), trieValue(i)))
        return
      }
      for (let start = 0; start < count; start += TRIE_BATCH) {
        const entries: TrieEntry[] = []
        for (let i = start; i < start + TRIE_BATCH; i++) {
          entries.push({ key: trieKey(i), value: trieValue(i) })
        }
        await latency.time(() => trie.batch(entries))
      }
    })
    await trie.close()
    const unit = batched ? 'ms/batch' : 'ms/put'
    return [
      higher('throughput', count / seconds, 'puts/s'),
      lower('latency-p50', latency.percentile(50), unit),
      lower('latency-p99', latency.percentile(99), unit),
      lower('cpu', cpuSeconds, 'cpu-s'),
    ]
  },
})
