// drive-cold-open: a 100k-file drive on disk (built once, in prepare) opened by a fresh process
// and one file read: the time from nothing open to the file's bytes.
import { measure } from '../measure.js'
import { higher, lower } from '../metric.js'
import { scaled } from '../sizes.js'
import { defineWorkload } from '../workload.js'
import {
  type DriveAdapter,
  loadOriginalDrive,
  loadOurDrive,
  treeFiles,
  writeInGroups,
} from './drive-common.js'

const DIRS = 100
const fileCount = (): number => scaled(100_000, DIRS)
const contentOf = (path: string): Buffer => Buffer.from(`content of ${path}\n`)

export const driveColdOpen = defineWorkload<DriveAdapter>({
  name: 'drive-cold-open',
  description: 'open a 100k-file drive on disk in a fresh process and read one file',
  cases: ['file'],
  adapters: { originals: loadOriginalDrive, ours: loadOurDrive },
  async prepare(adapter, { dir }) {
    const count = fileCount()
    const drive = await adapter.open('file', dir)
    const files = [...treeFiles(count, DIRS, Buffer.alloc(0))].map(({ path }) => ({
      path,
      data: contentOf(path),
    }))
    const { seconds } = await measure(() => writeInGroups(drive, files))
    await drive.close()
    return [higher('build', count / seconds, 'files/s')]
  },
  async run(adapter, { dir }) {
    const target = `/d${DIRS / 2}/f${Math.floor(fileCount() / 2) + DIRS / 2}`
    const { value, seconds, cpuSeconds } = await measure(async () => {
      const drive = await adapter.open('file', dir)
      const data = await drive.readFile(target)
      return { drive, data }
    })
    await value.drive.close()
    if (!value.data.equals(contentOf(target))) throw new Error(`read the wrong bytes of ${target}`)
    return [lower('open-and-read', seconds * 1000, 'ms'), lower('cpu', cpuSeconds, 'cpu-s')]
  },
})
