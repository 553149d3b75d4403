// Mount interop with mountable-hypertrie@2.8.0 over a corestore@5: a trie it mounted into is
// traversed by ours, and mounts we write are traversed by it.
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { Hypertrie, MountableTrie } from '../../src/index.js'
import { type V5Node, type V9Feed, V9FeedAdapter, call, ram3 } from './helpers/originals.js'

const require = createRequire(import.meta.url)

interface Corestore5 {
  ready(cb: (err: Error | null) => void): void
  get(opts?: { key?: Buffer }): V9Feed
  close(cb: (err: Error | null) => void): void
}
interface Mountable2 {
  key: Buffer
  feed: V9Feed
  ready(cb: (err: Error | null) => void): void
  put(path: string, value: Buffer, cb: (err: Error | null) => void): void
  get(path: string, cb: (err: Error | null, node: V5Node | null) => void): void
  mount(path: string, key: Buffer, opts: object, cb: (err: Error | null) => void): void
  list(prefix: string, opts: object, cb: (err: Error | null, nodes: V5Node[]) => void): void
}
const Corestore = require('corestore') as new (storage: unknown) => Corestore5
const MountableHypertrie = require('mountable-hypertrie') as new (
  store: Corestore5,
  key?: Buffer | null,
  opts?: object,
) => Mountable2

async function openStore() {
  const store = new Corestore(ram3)
  await call((cb) => store.ready(cb))
  // the originals registered the "hypertrie" extension on these feeds already
  const corestoreLike = { get: ({ key }: { key: Buffer }) => new V9FeedAdapter(store.get({ key })) }
  return { store, corestoreLike }
}

describe('mounts interop with mountable-hypertrie@2.8.0', () => {
  it('ours traverses mounts that mountable-hypertrie wrote', async () => {
    const { store, corestoreLike } = await openStore()
    const root = new MountableHypertrie(store)
    await call((cb) => root.ready(cb))
    const sub = new MountableHypertrie(store, null, { feed: store.get() })
    await call((cb) => sub.ready(cb))
    await call((cb) => sub.put('inner/file', Buffer.from('from-sub'), cb))
    await call((cb) => root.put('top', Buffer.from('from-root'), cb))
    await call((cb) => root.mount('mnt', sub.key, {}, cb))

    const ours = new MountableTrie(
      new Hypertrie(null, { feed: new V9FeedAdapter(root.feed), extension: false }),
      {
        corestore: corestoreLike,
        trieOptions: { extension: false, alwaysUpdate: false },
      },
    )
    await ours.ready()
    const file = await ours.get('mnt/inner/file')
    expect(file?.valueBuffer?.toString()).toBe('from-sub')
    expect(file?.trie.key?.equals(sub.key)).toBe(true)
    expect(file?.innerPath).toBe('inner/file')
    expect((await ours.get('top'))?.valueBuffer?.toString()).toBe('from-root')
    const listed = (await ours.list('', { recursive: true })).map((n) => n.key).sort()
    expect(listed).toEqual(['mnt', 'mnt/inner/file', 'top'])
    expect((await ours.listMounts()).map((m) => m.path)).toEqual(['mnt'])
    await call((cb) => store.close(cb))
  })

  it('mountable-hypertrie traverses mounts that ours wrote', async () => {
    const { store } = await openStore()
    const rootFeed = store.get()
    const subFeed = store.get()
    const mine = new Hypertrie(null, { feed: new V9FeedAdapter(rootFeed), extension: false })
    const subTrie = new Hypertrie(null, { feed: new V9FeedAdapter(subFeed), extension: false })
    await subTrie.ready()
    await subTrie.put('deep/thing', Buffer.from('ours-sub'))
    const ours = new MountableTrie(mine, { getTrie: () => subTrie })
    await ours.ready()
    await ours.put('top', Buffer.from('ours-root'))
    await ours.mount('/m', subTrie.key!)

    const theirs = new MountableHypertrie(store, mine.key, { extension: false })
    await call((cb) => theirs.ready(cb))
    const got = await call<V5Node | null>((cb) => theirs.get('m/deep/thing', cb))
    expect(got?.value?.toString()).toBe('ours-sub')
    const listed = await call<V5Node[]>((cb) => theirs.list('', { recursive: true }, cb))
    expect(listed.map((n) => n.key).sort()).toEqual(['m', 'm/deep/thing', 'top'])
    await call((cb) => store.close(cb))
  })
})
