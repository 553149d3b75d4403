// The read-ahead window behind get(): sequential and random readers, cleared blocks, blocks that
// arrive after a window was read, and returned blocks that are standalone copies.
import { afterEach, describe, expect, it } from 'vitest'
import { Hypercore } from '../src/index.js'
import { memoryStorage, tmpDir } from './helpers.js'

const closers: (() => unknown)[] = []
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c()
})

const block = (i: number) => Buffer.alloc(100 + (i % 7), i % 251)

async function writer(count: number, storage: ReturnType<typeof memoryStorage> | string) {
  const core = new Hypercore(storage)
  closers.push(() => core.close())
  const blocks: Buffer[] = []
  for (let i = 0; i < count; i++) blocks.push(block(i))
  await core.append(blocks)
  return core
}

describe('read-ahead', () => {
  for (const kind of ['memory', 'file'] as const) {
    it(`sequential and random gets return each block's own bytes (${kind})`, async () => {
      let storage: ReturnType<typeof memoryStorage> | string = memoryStorage()
      if (kind === 'file') {
        const tmp = tmpDir()
        closers.push(tmp.cleanup)
        storage = tmp.dir
      }
      const core = await writer(2000, storage)
      for (let i = 0; i < 2000; i++) expect(await core.get(i)).toEqual(block(i))
      for (let k = 0; k < 500; k++) {
        const i = (k * 7919) % 2000
        expect(await core.get(i)).toEqual(block(i))
      }
    })
  }

  it('gets are standalone copies, not views of a shared window', async () => {
    const core = await writer(100, memoryStorage())
    await core.get(0)
    const b = (await core.get(1)) as Buffer
    // At most Node's 8 KiB small-buffer pool is shared, never the 64 KiB window.
    expect(b.buffer.byteLength).toBeLessThanOrEqual(Buffer.poolSize)
  })

  it('a cleared block is not served from a window read before the clear', async () => {
    const core = await writer(50, memoryStorage())
    await core.get(10)
    await core.get(11)
    await core.clear(12)
    expect(core.has(12)).toBe(false)
    await expect(core.get(12, { wait: false })).rejects.toMatchObject({
      code: 'ERR_BLOCK_NOT_AVAILABLE',
    })
    expect(await core.get(13)).toEqual(block(13))
  })

  it('blocks downloaded after a window was read come back with their own bytes', async () => {
    const source = await writer(300, memoryStorage())
    const reader = new Hypercore(memoryStorage(), source.key, { sparse: true })
    closers.push(() => reader.close())
    const s1 = source.replicate(true, { live: true })
    const s2 = reader.replicate(false, { live: true })
    s1.pipe(s2).pipe(s1)
    closers.push(() => {
      s1.destroy()
      s2.destroy()
    })
    // Every other block first, read sequentially where possible, then the gaps.
    for (let i = 0; i < 300; i += 2) await reader.download({ start: i, end: i + 1 })
    for (let i = 0; i < 300; i += 2) expect(await reader.get(i)).toEqual(block(i))
    await reader.download({ start: 0, end: 300 })
    for (let i = 0; i < 300; i++) expect(await reader.get(i)).toEqual(block(i))
  })

  it('a reopened core reads random blocks across offset pages (offsets learned per span)', async () => {
    const storage = memoryStorage()
    const core = await writer(9000, storage)
    await core.close()
    const again = new Hypercore(storage)
    closers.push(() => again.close())
    await again.ready()
    let x = 7
    for (let k = 0; k < 600; k++) {
      x = (x * 48271) % 2147483647
      const i = x % 9000
      expect(await again.get(i)).toEqual(block(i))
    }
  })
})
