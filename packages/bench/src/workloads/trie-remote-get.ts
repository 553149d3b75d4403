// trie-remote-get: 100 random gets from a sparse replica of a 100k-key trie. Over a plain
// in-process link it reports ms per get; over a link with a 10 ms round trip it also reports
// round trips per get, estimated as (latency per get) / (link round-trip time), where the round
// trip is the one the link's chunks really took (its 5 ms timers fire late: 10.4-11.4 ms measured).
import { randomIndexes } from '../blocks.js'
import { connectPair } from '../link.js'
import { LatencyRecorder, measure } from '../measure.js'
import { type Metric, lower } from '../metric.js'
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

const GETS = 100
const ONE_WAY_DELAY_MS: Record<string, number> = { direct: 0, 'rtt-10ms': 5 }

export const trieRemoteGet = defineWorkload<TrieAdapter>({
  name: 'trie-remote-get',
  description: '100 random gets from a sparse replica of a 100k-key trie, direct and 10 ms RTT',
  cases: Object.keys(ONE_WAY_DELAY_MS),
  adapters: { originals: loadOriginalTrie, ours: loadOurTrie },
  async run(adapter, { caseName }) {
    const delayMs = ONE_WAY_DELAY_MS[caseName]
    const count = scaled(100_000, 100)
    const writer = await adapter.create()
    await fillTrie(writer, count)
    const reader = await adapter.clone(writer.key)
    const a = writer.replicate(true)
    const b = reader.replicate(false)
    const link = connectPair(a, b, { delayMs })
    // The handshake and the first update are not what we measure.
    await reader.update()
    const latency = new LatencyRecorder(GETS)
    const bytesBefore = link.forward + link.backward
    const delayedBefore = { chunks: link.delayedChunks, ms: link.delayedMs }
    const { seconds, cpuSeconds } = await measure(async () => {
      for (const i of randomIndexes(GETS, count, 7)) {
        const value = await latency.time(() => reader.get(trieKey(i)))
        if (value === null || !value.equals(trieValue(i))) {
          throw new Error(`remote get ${trieKey(i)} returned the wrong value`)
        }
      }
    })
    const bytes = link.forward + link.backward - bytesBefore
    const delayedChunks = link.delayedChunks - delayedBefore.chunks
    const linkRttMs =
      delayedChunks > 0 ? (2 * (link.delayedMs - delayedBefore.ms)) / delayedChunks : 0
    a.destroy()
    b.destroy()
    await Promise.all([writer.close(), reader.close()])
    const msPerGet = (seconds * 1000) / GETS
    const metrics: Metric[] = [
      lower('ms-per-get', msPerGet, 'ms'),
      lower('latency-p99', latency.percentile(99), 'ms'),
      lower('wire-bytes-per-get', bytes / GETS, 'B'),
      lower('cpu', cpuSeconds, 'cpu-s'),
    ]
    if (delayMs > 0) {
      metrics.push(lower('link-rtt', linkRttMs, 'ms'))
      metrics.push(lower('round-trips-per-get', msPerGet / linkRttMs, 'RTT'))
    }
    return metrics
  },
})
