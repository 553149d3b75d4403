// getRange (many blocks in one read) and batched appends of large blocks (written without a
// concatenated copy), in memory and on disk, including after a reopen.
import { afterEach, describe, expect, it } from 'vitest'
import { Hypercore } from '../src/index.js'
import { memoryStorage, tmpDir } from './helpers.js'

const closers: (() => unknown)[] = []
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c()
})

const block = (i: number, size: number) => Buffer.alloc(size, (i * 31) % 251)

describe('getRange and large batches', () => {
  for (const kind of ['memory', 'file'] as const) {
    for (const size of [100, 20_000, 70_000]) {
      it(`appends ${size}-byte blocks in batches and reads ranges back (${kind})`, async () => {
        let storage: ReturnType<typeof memoryStorage> | string = memoryStorage()
        if (kind === 'file') {
          const tmp = tmpDir()
          closers.push(tmp.cleanup)
          storage = tmp.dir
        }
        const core = new Hypercore(storage)
        const blocks: Buffer[] = []
        for (let i = 0; i < 24; i++) blocks.push(block(i, size + i))
        await core.append(blocks.slice(0, 10))
        await core.append(blocks.slice(10))
        // Buffer#equals: vitest's deep equality walks megabytes byte by byte.
        expect((await core.getRange(0, 24)).equals(Buffer.concat(blocks))).toBe(true)
        expect((await core.getRange(5, 13)).equals(Buffer.concat(blocks.slice(5, 13)))).toBe(true)
        expect((await core.getRange(7, 7)).length).toBe(0)
        await core.close()
        const reopened = new Hypercore(storage)
        closers.push(() => reopened.close())
        await reopened.ready()
        expect(reopened.length).toBe(24)
        const range = await reopened.getRange(3, 21)
        expect(range.equals(Buffer.concat(blocks.slice(3, 21)))).toBe(true)
        expect((await reopened.audit()).invalid).toBe(0)
      })
    }
  }

  it('refuses ranges with missing blocks or bad bounds', async () => {
    const writer = new Hypercore(memoryStorage())
    closers.push(() => writer.close())
    await writer.append(['a', 'b', 'c', 'd'])
    await writer.clear(2)
    await expect(writer.getRange(1, 4)).rejects.toMatchObject({ code: 'ERR_BLOCK_NOT_AVAILABLE' })
    await expect(writer.getRange(0, 9)).rejects.toMatchObject({ code: 'ERR_BLOCK_NOT_AVAILABLE' })
    await expect(writer.getRange(3, 1)).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' })
    await expect(writer.getRange(-1, 1)).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' })
    expect((await writer.getRange(0, 2)).toString()).toBe('ab')
  })
})
