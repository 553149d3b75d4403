// drive-small-files: 10k x 1 KiB files in 100 directories: writeFile each, readdir each
// directory, stat each file, readFile each file (RAM).
import { KiB, blockPool } from '../blocks.js'
import { measure } from '../measure.js'
import { type Metric, higher, lower } from '../metric.js'
import { scaled } from '../sizes.js'
import { defineWorkload } from '../workload.js'
import { type DriveAdapter, loadOriginalDrive, loadOurDrive, treeFiles } from './drive-common.js'

const DIRS = 100

export const driveSmallFiles = defineWorkload<DriveAdapter>({
  name: 'drive-small-files',
  description: '10k x 1 KiB files in 100 dirs: writeFile, readdir, stat, readFile (RAM)',
  cases: ['ram'],
  adapters: { originals: loadOriginalDrive, ours: loadOurDrive },
  async run(adapter, { dir }) {
    const count = scaled(10_000, DIRS)
    const [data] = blockPool(1, KiB)
    const files = [...treeFiles(count, DIRS, data)]
    const drive = await adapter.open('ram', dir)
    const metrics: Metric[] = []
    const phase = async (name: string, ops: number, unit: string, body: () => Promise<void>) => {
      const { seconds, cpuSeconds } = await measure(body)
      metrics.push(higher(name, ops / seconds, unit), lower(`${name}-cpu`, cpuSeconds, 'cpu-s'))
    }
    await phase('writeFile', count, 'files/s', async () => {
      for (const file of files) await drive.writeFile(file.path, file.data)
    })
    await phase('readdir', DIRS, 'dirs/s', async () => {
      for (let d = 0; d < DIRS; d++) {
        const names = await drive.readdir(`/d${d}`)
        if (names.length !== count / DIRS) throw new Error(`readdir /d${d}: ${names.length}`)
      }
    })
    await phase('stat', count, 'stats/s', async () => {
      for (const file of files) {
        if ((await drive.stat(file.path)) !== KiB) throw new Error(`stat ${file.path}: bad size`)
      }
    })
    await phase('readFile', count, 'files/s', async () => {
      for (const file of files) {
        if (!(await drive.readFile(file.path)).equals(data)) throw new Error(`read ${file.path}`)
      }
    })
    await drive.close()
    return metrics
  },
})
