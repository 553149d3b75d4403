// drive-big-file: one 256 MiB file streamed in 64 KiB chunks into a drive, then streamed out.
import { KiB, MiB, blockPool } from '../blocks.js'
import { measure } from '../measure.js'
import { higher, lower } from '../metric.js'
import { scaled } from '../sizes.js'
import { defineWorkload } from '../workload.js'
import { type DriveAdapter, loadOriginalDrive, loadOurDrive } from './drive-common.js'

const CHUNK = 64 * KiB

export const driveBigFile = defineWorkload<DriveAdapter>({
  name: 'drive-big-file',
  description: '256 MiB streamed into a drive in 64 KiB chunks, then streamed out (RAM)',
  cases: ['ram'],
  adapters: { originals: loadOriginalDrive, ours: loadOurDrive },
  async run(adapter, { dir }) {
    const chunks = scaled((256 * MiB) / CHUNK, 16)
    const bytes = chunks * CHUNK
    const pool = blockPool(16, CHUNK)
    const drive = await adapter.open('ram', dir)
    function* source(): Generator<Buffer> {
      for (let i = 0; i < chunks; i++) yield pool[i % pool.length]
    }
    const write = await measure(() => drive.writeStream('/big', source()))
    const read = await measure(async () => {
      let seen = 0
      for await (const chunk of drive.readStream('/big')) seen += chunk.length
      return seen
    })
    await drive.close()
    if (read.value !== bytes) throw new Error(`read ${read.value} bytes, wrote ${bytes}`)
    return [
      higher('write', bytes / MiB / write.seconds, 'MiB/s'),
      lower('write-cpu', write.cpuSeconds, 'cpu-s'),
      higher('read', bytes / MiB / read.seconds, 'MiB/s'),
      lower('read-cpu', read.cpuSeconds, 'cpu-s'),
    ]
  },
})
