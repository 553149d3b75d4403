// Content block boundaries of writes, streams and truncates as hyperdrive@10 makes them
// (vectors/hyperdrive-writes.json), replayed on our drive.
import { describe, expect, it } from 'vitest'
import { Hyperdrive } from '../src/index.js'
import { memoryStorage } from './helpers/hyperstack-backend.js'
import { type WritesVectors, loadVectors } from './helpers/vectors.js'

const vectors = loadVectors<WritesVectors>('hyperdrive-writes.json')

describe('hyperdrive-writes vectors', () => {
  it('appends the same blocks and records the same Stats (all but the fd writes)', async () => {
    const drive = new Hyperdrive(memoryStorage())
    await drive.ready()
    try {
      const content = (await drive.getContent())!
      const appended: number[][] = []
      const step = async (fn: () => Promise<unknown>): Promise<void> => {
        const from = content.length
        await fn()
        const lens: number[] = []
        for (let i = from; i < content.length; i++)
          lens.push(((await content.get(i)) as Buffer).length)
        appended.push(lens)
      }
      await step(() => drive.writeFile('/w1', Buffer.alloc(1300000, 1)))
      await step(async () => {
        const ws = drive.createWriteStream('/w2')
        const closed = new Promise<void>((resolve, reject) => {
          ws.on('close', () => resolve())
          ws.on('error', reject)
        })
        for (const n of [1000, 2000, 600000]) ws.write(Buffer.alloc(n, 2))
        ws.end(Buffer.alloc(10, 2))
        await closed
      })
      await step(() => drive.writeFile('/w3', Buffer.alloc(0)))
      await step(() => drive.truncate('/w2', 1500))
      await step(() => drive.truncate('/w3', 0))
      await step(() => drive.writeFile('/w4', Buffer.alloc(1000, 4)))
      await step(() => drive.truncate('/w4', 0))
      await step(() => drive.truncate('/w4', 100000))
      expect(appended).toEqual(vectors.results.slice(0, 8).map((r) => r.contentBlocksAppended))
      for (const name of ['/w1', '/w2', '/w3', '/w4']) {
        const st = await drive.stat(name)
        const want = vectors.finalStats[name]
        expect([st.mode, st.size, st.blocks, st.offset, st.byteOffset]).toEqual([
          want.mode,
          want.size,
          want.blocks,
          want.offset,
          want.byteOffset,
        ])
      }
      const w4 = (await drive.readFile('/w4')) as Buffer
      expect(w4.equals(Buffer.concat([Buffer.alloc(1000, 4), Buffer.alloc(99000)]))).toBe(true)
      expect(((await drive.readFile('/w2')) as Buffer).equals(Buffer.alloc(1500, 2))).toBe(true)
    } finally {
      await drive.close()
    }
  })
})
