// Storage interop on our own core: a trie written by ours into a folder through @hyperstack/hypercore
// is read by hypertrie@5 (hypercore@9 on the same folder), and the reverse.
import { Hypercore } from '@hyperstack/hypercore'
import { afterEach, describe, expect, it } from 'vitest'
import { Hypertrie } from '../../src/index.js'
import { type V5Node, call, hypertrie5, tempDir } from './helpers/originals.js'
import { snapshotOurs, snapshotTheirs, writeOurs, writeTheirs } from './helpers/scenario.js'

const cleanups: (() => void)[] = []
afterEach(() => {
  while (cleanups.length) cleanups.pop()!()
})

describe('trie storage interop through @hyperstack/hypercore', () => {
  it('ours writes a folder, hypertrie@5 reads it', async () => {
    const a = tempDir()
    cleanups.push(a.cleanup)
    await writeOurs(new Hypercore(a.dir, null, { valueEncoding: 'binary' }))

    const ours = new Hypertrie(a.dir)
    await ours.ready()
    expect(ours.writable).toBe(true)
    const ourView = await snapshotOurs(ours)
    await ours.close()

    const theirs = hypertrie5(a.dir)
    await call((cb) => theirs.ready(cb))
    const theirView = await snapshotTheirs(theirs)
    await call((cb) => theirs.feed.close(cb))
    expect(theirView).toEqual(ourView)
    expect(ourView.list.length).toBeGreaterThan(40)
  })

  it('hypertrie@5 writes a folder, ours reads it and keeps writing', async () => {
    const a = tempDir()
    cleanups.push(a.cleanup)
    await writeTheirs(a.dir)
    const theirs = hypertrie5(a.dir)
    await call((cb) => theirs.ready(cb))
    const theirView = await snapshotTheirs(theirs)
    await call((cb) => theirs.feed.close(cb))

    const ours = new Hypertrie(a.dir)
    await ours.ready()
    expect(await snapshotOurs(ours)).toEqual(theirView)
    await ours.put('after/reopen', Buffer.from('ok'))
    await ours.close()

    const again = hypertrie5(a.dir)
    await call((cb) => again.ready(cb))
    const node = await call<V5Node | null>((cb) => again.get('after/reopen', {}, cb))
    expect(node?.value?.toString()).toBe('ok')
    await call((cb) => again.feed.close(cb))
  })
})
