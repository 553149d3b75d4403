// drive-sparse-range: 1 MiB read from the middle of a 256 MiB file in a remote drive, through a
// sparse replica; latency, and bytes on the wire per byte of the range when the read completes
// and once the link has gone quiet (an implementation that keeps fetching shows it there).
import { KiB, MiB, blockPool } from '../blocks.js'
import { type ByteCounter, connectPair } from '../link.js'
import { measure } from '../measure.js'
import { lower } from '../metric.js'
import { scaled } from '../sizes.js'
import { defineWorkload } from '../workload.js'
import { type DriveAdapter, loadOriginalDrive, loadOurDrive } from './drive-common.js'

const CHUNK = 64 * KiB
const RANGE = MiB
/** The link counts as quiet after this long without a byte... */
const QUIET_MS = 250
/** ...or after this long in all, whichever comes first. */
const SETTLE_LIMIT_MS = 5000

/** Resolves once no byte has crossed the link for QUIET_MS (or SETTLE_LIMIT_MS passed). */
async function settled(link: ByteCounter): Promise<number> {
  const total = () => link.forward + link.backward
  const deadline = Date.now() + SETTLE_LIMIT_MS
  let last = total()
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS))
    const now = total()
    if (now === last) break
    last = now
  }
  return total()
}

export const driveSparseRange = defineWorkload<DriveAdapter>({
  name: 'drive-sparse-range',
  description: '1 MiB from the middle of a 256 MiB file, read through a sparse replica',
  cases: ['stream-pair'],
  adapters: { originals: loadOriginalDrive, ours: loadOurDrive },
  async run(adapter, { dir }) {
    const chunks = scaled((256 * MiB) / CHUNK, 64)
    const size = chunks * CHUNK
    const pool = blockPool(16, CHUNK)
    const writer = await adapter.open('ram', dir)
    await writer.writeStream(
      '/big',
      (function* () {
        for (let i = 0; i < chunks; i++) yield pool[i % pool.length]
      })(),
    )
    const reader = await adapter.clone(writer.key)
    const a = writer.replicate(true)
    const b = reader.replicate(false)
    const link = connectPair(a, b)
    await reader.update()
    // Knowing the file (metadata) is set-up; the range itself is what we measure.
    if ((await reader.stat('/big')) !== size) throw new Error('replica sees the wrong size')
    const start = Math.floor((size - RANGE) / 2 / 4096) * 4096
    const before = link.forward + link.backward
    const {
      value: got,
      seconds,
      cpuSeconds,
    } = await measure(async () => {
      const parts: Buffer[] = []
      for await (const chunk of reader.readStream('/big', { start, length: RANGE }))
        parts.push(chunk)
      return Buffer.concat(parts)
    })
    const atDone = link.forward + link.backward - before
    const afterQuiet = (await settled(link)) - before
    a.destroy()
    b.destroy()
    await Promise.all([writer.close(), reader.close()])
    if (!got.equals(expectedRange(pool, start, RANGE))) {
      throw new Error(`range read returned ${got.length} bytes or the wrong content`)
    }
    return [
      lower('latency', seconds * 1000, 'ms'),
      lower('wire-per-range-byte-at-done', atDone / RANGE, 'x'),
      lower('wire-per-range-byte-settled', afterQuiet / RANGE, 'x'),
      lower('cpu', cpuSeconds, 'cpu-s'),
    ]
  },
})

/** The bytes the file holds at [start, start + length) (the file is the pool repeated). */
function expectedRange(pool: Buffer[], start: number, length: number): Buffer {
  const parts: Buffer[] = []
  for (let position = start; position < start + length; ) {
    const within = position % CHUNK
    const take = Math.min(CHUNK - within, start + length - position)
    parts.push(pool[Math.floor(position / CHUNK) % pool.length].subarray(within, within + take))
    position += take
  }
  return Buffer.concat(parts)
}
