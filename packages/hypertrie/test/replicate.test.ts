import type { Hypercore } from '@hyperstack/hypercore'
// Replication between two of our tries on @hyperstack/hypercore: full and sparse readers, the
// lookup extension (one request per lookup), live watch on a sparse reader.
import { describe, expect, it } from 'vitest'
import { Hypertrie } from '../src/index.js'
import { newCore, ramStorage } from './helpers/cores.js'
import { liveSparseReader } from './helpers/readers.js'
import { connect, waitForEvent } from './helpers/streams.js'

async function writerWith(n: number): Promise<Hypertrie> {
  const w = new Hypertrie(null, { feed: newCore() })
  await w.ready()
  await w.batch(
    Array.from({ length: n }, (_, i) => ({
      key: `dir${i % 4}/file-${i}`,
      value: Buffer.from(`v${i}`),
    })),
  )
  return w
}

describe('replication between our tries', () => {
  it('a sparse reader gets a key with one extension request, and lists a prefix', async () => {
    const writer = await writerWith(300)
    const { reader, stop } = await liveSparseReader(writer)
    try {
      const answered = waitForEvent<string>(writer, 'extension-get')
      // a block the walk reaches before any peer has sent it costs a round trip of its own
      // (one already sent is on its way with the lookup's answer)
      const feed = reader.feed
      const sent = new Set<number>()
      const onupload = (index: number) => sent.add(index)
      ;(writer.feed as Hypercore).on('upload', onupload)
      let serialWaits = 0
      let visited = 0
      const node = await reader.get('dir1/file-101', {
        onseq: (s) => {
          visited++
          if (feed.has && !feed.has(s) && !sent.has(s)) serialWaits++
        },
      })
      ;(writer.feed as Hypercore).removeListener('upload', onupload)
      expect(visited).toBeGreaterThan(3)
      expect(serialWaits).toBeLessThanOrEqual(2)
      expect(node?.valueBuffer?.toString()).toBe('v101')
      expect(await answered).toBe('dir1/file-101')
      expect(reader.extensionStats.sentGets).toBe(1)
      expect(reader.extensionStats.cachesReceived).toBeGreaterThanOrEqual(1)

      const again = await reader.get('dir2/file-202')
      expect(again?.valueBuffer?.toString()).toBe('v202')

      const list = await reader.list('dir3')
      expect(list.map((n) => n.key).sort()).toEqual(
        Array.from({ length: 75 }, (_, k) => `dir3/file-${4 * k + 3}`).sort(),
      )
      expect(reader.extensionStats.sentIterators).toBeGreaterThanOrEqual(1)
    } finally {
      stop()
      await reader.close()
      await writer.close()
    }
  })

  it('blocks come with the lookup answer: after a first answer, gets request nothing', async () => {
    const writer = await writerWith(2000)
    // a trie opened from storage stores pushed blocks (allowPush defaults to true)
    const reader = new Hypertrie(ramStorage, writer.key, { sparse: true })
    await reader.ready()
    const stop = connect(
      writer.replicate(true, { live: true }),
      reader.replicate(false, { live: true }),
    )
    try {
      await reader.feed.update?.({ ifAvailable: false })
      const core = reader.feed as Hypercore
      const uploads: number[] = []
      const downloads: number[] = []
      const onupload = (i: number) => uploads.push(i)
      const ondownload = (i: number) => downloads.push(i)
      ;(writer.feed as Hypercore).on('upload', onupload)
      core.on('download', ondownload)
      expect((await reader.get('dir3/file-1503'))?.valueBuffer?.toString()).toBe('v1503')
      expect(reader.extensionStats.sentGets).toBe(1)
      const sentBefore = reader.extensionStats.sentGets
      for (const i of [101, 502, 1203, 777]) {
        const pushedBefore = writer.extensionStats.pushed
        const uploadsBefore = uploads.length
        const node = await reader.get(`dir${i % 4}/file-${i}`)
        expect(node?.valueBuffer?.toString()).toBe(`v${i}`)
        // every block the walk needed arrived with the answer (pushed, none requested)
        expect(writer.extensionStats.pushed - pushedBefore).toBe(uploads.length - uploadsBefore)
      }
      ;(writer.feed as Hypercore).removeListener('upload', onupload)
      // a get can finish on a block's verified bytes before the block is stored: wait for the
      // stores ('download') of everything pushed
      await new Promise<void>((resolve, reject) => {
        const stored = (): boolean => uploads.every((i) => downloads.includes(i))
        if (stored()) return resolve()
        const timer = setTimeout(() => {
          core.removeListener('download', check)
          reject(new Error(`pushed ${uploads} but stored ${downloads}`))
        }, 5000)
        const check = (): void => {
          if (!stored()) return
          clearTimeout(timer)
          core.removeListener('download', check)
          resolve()
        }
        core.on('download', check)
      })
      expect(downloads.length).toBeGreaterThan(8)
      // nothing was sent twice: no block was also requested while its push was on the way
      expect([...uploads].sort((a, b) => a - b)).toEqual([...downloads].sort((a, b) => a - b))
      expect(reader.extensionStats.sentGets - sentBefore).toBe(4)
    } finally {
      stop()
      await reader.close()
      await writer.close()
    }
  })

  it('a sparse reader watching a prefix sees live changes', async () => {
    const writer = await writerWith(10)
    const { reader, stop } = await liveSparseReader(writer)
    try {
      expect((await reader.get('dir1/file-1'))?.valueBuffer?.toString()).toBe('v1')
      const w = reader.watch('news')
      const changed = waitForEvent<void>(w, 'change')
      await writer.put('news/today', Buffer.from('hello'))
      await changed
      expect((await reader.get('news/today'))?.valueBuffer?.toString()).toBe('hello')
      w.destroy()
    } finally {
      stop()
      await reader.close()
      await writer.close()
    }
  })

  it('a full reader replicates every block and diffs versions', async () => {
    const writer = await writerWith(50)
    const reader = new Hypertrie(null, { feed: newCore(writer.key) })
    await reader.ready()
    const stop = connect(
      writer.replicate(true, { live: true }),
      reader.replicate(false, { live: true }),
    )
    try {
      await reader.feed.update?.({ minLength: writer.version })
      const keys = (await reader.list()).map((n) => n.key)
      expect(keys.length).toBe(50)
      expect(keys).toEqual((await writer.list()).map((n) => n.key))
      const d = []
      for await (const x of reader.diff(10)) d.push(x.key)
      expect(d.length).toBe(41)
    } finally {
      stop()
      await reader.close()
      await writer.close()
    }
  })
})
