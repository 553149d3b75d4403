// drive-scale: drives of 10k, 100k and 1M files (1,000 top-level dirs) built on disk with
// batched writes (in prepare: build files/s), then opened in fresh processes for stat and
// readFile latency; peak RSS is reported for the build and for the reads at every size.
import { randomIndexes } from '../blocks.js'
import { LatencyRecorder, measure } from '../measure.js'
import { higher, lower } from '../metric.js'
import { scaled } from '../sizes.js'
import { defineWorkload } from '../workload.js'
import {
  type DriveAdapter,
  type DriveFile,
  loadOriginalDrive,
  loadOurDrive,
  writeInGroups,
} from './drive-common.js'

const DIRS = 1000
const SAMPLES = 1000
const SIZES: Record<string, number> = { '10k': 10_000, '100k': 100_000, '1m': 1_000_000 }

const fileCount = (caseName: string): number => scaled(SIZES[caseName], DIRS)
const pathOf = (i: number): string => `/d${i % DIRS}/f${i}`
const contentOf = (i: number): Buffer => Buffer.from(`file ${i}\n`)

export const driveScale = defineWorkload<DriveAdapter>({
  name: 'drive-scale',
  description: 'drives of 10k, 100k, 1M files on disk: build rate, stat/readFile p50/p99, RSS',
  cases: Object.keys(SIZES),
  adapters: { originals: loadOriginalDrive, ours: loadOurDrive },
  async prepare(adapter, { caseName, dir }) {
    const count = fileCount(caseName)
    const drive = await adapter.open('file', dir)
    const { seconds } = await measure(() =>
      writeInGroups(
        drive,
        (function* (): Generator<DriveFile> {
          for (let i = 0; i < count; i++) yield { path: pathOf(i), data: contentOf(i) }
        })(),
      ),
    )
    await drive.close()
    return [higher('build', count / seconds, 'files/s')]
  },
  async run(adapter, { caseName, dir }) {
    const count = fileCount(caseName)
    const drive = await adapter.open('file', dir)
    const stat = new LatencyRecorder(SAMPLES)
    const read = new LatencyRecorder(SAMPLES)
    const { cpuSeconds } = await measure(async () => {
      for (const i of randomIndexes(SAMPLES, count, 3)) {
        await stat.time(() => drive.stat(pathOf(i)))
      }
      for (const i of randomIndexes(SAMPLES, count, 5)) {
        const data = await read.time(() => drive.readFile(pathOf(i)))
        if (!data.equals(contentOf(i))) throw new Error(`read the wrong bytes of ${pathOf(i)}`)
      }
    })
    await drive.close()
    return [
      lower('stat-p50', stat.percentile(50), 'ms'),
      lower('stat-p99', stat.percentile(99), 'ms'),
      lower('readFile-p50', read.percentile(50), 'ms'),
      lower('readFile-p99', read.percentile(99), 'ms'),
      lower('cpu', cpuSeconds, 'cpu-s'),
    ]
  },
})
