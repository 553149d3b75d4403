// Trie-format interop on the original core: ours writes a hypercore@9 folder and hypertrie@5
// reads it (get, list, history, diff), and the reverse; the same operations give the same blocks.
import { afterEach, describe, expect, it } from 'vitest'
import { Hypertrie } from '../../src/index.js'
import { V9FeedAdapter, call, hypercore9, hypertrie5, tempDir } from './helpers/originals.js'
import { snapshotOurs, snapshotTheirs, writeOurs, writeTheirs } from './helpers/scenario.js'

const cleanups: (() => void)[] = []
afterEach(() => {
  while (cleanups.length) cleanups.pop()!()
})

describe('trie interop over hypercore@9 storage', () => {
  it('the same operations give the same blocks', async () => {
    const a = tempDir()
    const b = tempDir()
    cleanups.push(a.cleanup, b.cleanup)
    const ours = await writeOurs(new V9FeedAdapter(hypercore9(a.dir)))
    const theirs = await writeTheirs(b.dir)
    expect(ours.length).toBe(theirs.length)
    expect(ours.map((x) => x.toString('hex'))).toEqual(theirs.map((x) => x.toString('hex')))
  })

  it('ours writes, hypertrie@5 reads get, list, history and diff', async () => {
    const a = tempDir()
    cleanups.push(a.cleanup)
    await writeOurs(new V9FeedAdapter(hypercore9(a.dir)))

    const ourFeed = new V9FeedAdapter(hypercore9(a.dir))
    const ours = new Hypertrie(null, { feed: ourFeed })
    await ours.ready()
    const ourView = await snapshotOurs(ours)
    await ours.close()

    const theirs = hypertrie5(a.dir)
    await call((cb) => theirs.ready(cb))
    const theirView = await snapshotTheirs(theirs)
    await call((cb) => theirs.feed.close(cb))
    expect(theirView).toEqual(ourView)
    expect(theirView.list.length).toBeGreaterThan(40)
  })

  it('hypertrie@5 writes, ours reads the same', async () => {
    const a = tempDir()
    cleanups.push(a.cleanup)
    await writeTheirs(a.dir)
    const theirs = hypertrie5(a.dir)
    await call((cb) => theirs.ready(cb))
    const theirView = await snapshotTheirs(theirs)
    await call((cb) => theirs.feed.close(cb))

    const ours = new Hypertrie(null, { feed: new V9FeedAdapter(hypercore9(a.dir)) })
    await ours.ready()
    const ourView = await snapshotOurs(ours)
    await ours.close()
    expect(ourView).toEqual(theirView)
  })
})
