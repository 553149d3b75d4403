// What a replica keeps in memory after downloading big blocks: the proof nodes it caches must not
// keep the frames they arrived in alive (each 32-byte hash a view into a 64 KiB block's frame).
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterEach, describe, expect, it } from 'vitest'
import { Hypercore } from '../src/index.js'
import { memoryStorage, replicateLive, tmpDir } from './helpers.js'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

const closers: (() => unknown)[] = []
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c()
})

const BLOCK = 64 * 1024
const BLOCKS = 256

/** Array buffer bytes still reachable after full collections. */
function liveArrayBuffers(): number {
  gc()
  gc()
  return process.memoryUsage().arrayBuffers
}

describe('memory after a download', () => {
  it('holds no received frames once the blocks are stored and dropped', async () => {
    const writer = new Hypercore(memoryStorage())
    closers.push(() => writer.close())
    const blocks: Buffer[] = []
    for (let i = 0; i < BLOCKS; i++) blocks.push(Buffer.alloc(BLOCK, i))
    await writer.append(blocks)
    blocks.length = 0

    // The replica stores on disk, so the bytes it keeps in memory are only what it caches.
    const tmp = tmpDir()
    closers.push(tmp.cleanup)
    const reader = new Hypercore(tmp.dir, writer.key, { sparse: true })
    closers.push(() => reader.close())
    await reader.ready()
    closers.push(replicateLive(writer, reader))
    await reader.get(0)
    const before = liveArrayBuffers()

    let bytes = 0
    for (let i = 1; i < BLOCKS; i++) {
      const block = await reader.get(i)
      if (Buffer.isBuffer(block)) bytes += block.byteLength
    }
    expect(bytes).toBe((BLOCKS - 1) * BLOCK)

    // 255 blocks (16 MiB) crossed; what stays is small bookkeeping, not the frames.
    // (about 0.2 MiB here; 4.4 MiB when cached proof nodes were views into their frames)
    expect(liveArrayBuffers() - before).toBeLessThan(1024 * 1024)
  })
})
