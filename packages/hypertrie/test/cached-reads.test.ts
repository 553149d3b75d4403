// A feed that holds blocks in memory (getCached) lets the trie decode nodes without a promise,
// and an iterator's nextSync walks whatever needs no read, saying when next() must wait.
import { describe, expect, it } from 'vitest'
import { Hypertrie } from '../src/index.js'
import { newCore } from './helpers/cores.js'

async function filled(count: number) {
  const feed = newCore()
  const writer = new Hypertrie(null, { feed })
  await writer.ready()
  await writer.batch(
    Array.from({ length: count }, (_, k) => ({ key: `dir/f${k}`, value: Buffer.from(`v${k}`) })),
  )
  return { feed, writer }
}

describe('getCached', () => {
  it('decodes blocks the feed holds in memory instead of reading them', async () => {
    const { feed, writer } = await filled(200)
    const memory = new Map<number, Uint8Array>()
    for (let seq = 1; seq < feed.length; seq++) memory.set(seq, (await feed.get(seq)) as Uint8Array)
    let gets = 0
    let cached = 0
    const counted = Object.assign(Object.create(feed) as typeof feed, {
      get: (i: number, o?: object) => {
        gets++
        return feed.get(i, o)
      },
      getCached: (i: number) => {
        cached++
        return memory.get(i) ?? null
      },
    })
    const cold = new Hypertrie<Buffer>(null, { feed: counted, extension: false })
    await cold.ready()
    const readsAfterOpen = gets
    for (let k = 0; k < 200; k += 7) {
      expect((await cold.get(`dir/f${k}`))?.value?.toString()).toBe(`v${k}`)
    }
    expect(cached).toBeGreaterThan(0)
    expect(gets).toBe(readsAfterOpen)
    await writer.close()
  })

  it('falls back to a read when the cached bytes do not decode', async () => {
    const { feed, writer } = await filled(50)
    const counted = Object.assign(Object.create(feed) as typeof feed, {
      getCached: () => Buffer.from([0xff, 0xff, 0xff]),
    })
    const cold = new Hypertrie<Buffer>(null, { feed: counted, extension: false })
    await cold.ready()
    expect((await cold.get('dir/f13'))?.value?.toString()).toBe('v13')
    await writer.close()
  })
})

describe('TrieIterator.nextSync', () => {
  it('gives cached nodes at once, undefined when a read is needed, null at the end', async () => {
    const { writer } = await filled(300)
    const expected = (await writer.list('dir')).map((n) => n.key).sort()
    const it = writer.iterator('dir')
    const keys: string[] = []
    let waits = 0
    for (;;) {
      let node = it.nextSync()
      if (node === undefined) {
        waits++
        node = await it.next()
      }
      if (node === null) break
      keys.push(node.key)
    }
    expect(keys.sort()).toEqual(expected)
    // the writer's cache holds what it wrote: most entries come without waiting
    expect(waits).toBeLessThan(keys.length)
    expect(it.nextSync()).toBeNull()
    await writer.close()
  })
})
