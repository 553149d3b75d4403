// drive-readdir-100k: list one directory holding 100k files, and stat inside it. The drive is
// built once on disk (prepare); each measured run opens it in a fresh process.
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

const STATS = 1000
const fileCount = (): number => scaled(100_000, 100)
const fileName = (i: number): string => `/big/file${i}`

export const driveReaddir100k = defineWorkload<DriveAdapter>({
  name: 'drive-readdir-100k',
  description: 'readdir of one directory of 100k files, and stat inside it (on disk)',
  cases: ['file'],
  adapters: { originals: loadOriginalDrive, ours: loadOurDrive },
  async prepare(adapter, { dir }) {
    const count = fileCount()
    const data = Buffer.from('x')
    const drive = await adapter.open('file', dir)
    const { seconds } = await measure(() =>
      writeInGroups(
        drive,
        (function* (): Generator<DriveFile> {
          for (let i = 0; i < count; i++) yield { path: fileName(i), data }
        })(),
      ),
    )
    await drive.close()
    return [higher('build', count / seconds, 'files/s')]
  },
  async run(adapter, { dir }) {
    const count = fileCount()
    const drive = await adapter.open('file', dir)
    const { value: names, seconds, cpuSeconds } = await measure(() => drive.readdir('/big'))
    if (names.length !== count) throw new Error(`readdir listed ${names.length} of ${count}`)
    const latency = new LatencyRecorder(STATS)
    for (const i of randomIndexes(STATS, count)) await latency.time(() => drive.stat(fileName(i)))
    await drive.close()
    return [
      lower('readdir', seconds * 1000, 'ms'),
      higher('readdir-rate', count / seconds, 'entries/s'),
      lower('readdir-cpu', cpuSeconds, 'cpu-s'),
      lower('stat-p50', latency.percentile(50), 'ms'),
      lower('stat-p99', latency.percentile(99), 'ms'),
    ]
  },
})
