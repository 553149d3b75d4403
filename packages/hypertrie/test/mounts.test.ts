// The trie controller: mounts (get/put/del/list/diff/watch through mounted tries, mounts of
// mounts, pinned versions, provenance) and symlinks with bounded depth.
import { describe, expect, it } from 'vitest'
import {
  Hypertrie,
  type HypertrieNode,
  MountableTrie,
  type MountableTrieOptions,
} from '../src/index.js'
import { decodeMountMessage } from '../src/messages/mount-message.js'
import { newCore } from './helpers/cores.js'

async function setup(n: number, opts: MountableTrieOptions = {}) {
  const tries = new Map<string, Hypertrie>()
  const list: Hypertrie[] = []
  for (let i = 0; i < n; i++) {
    const t = new Hypertrie(null, { feed: newCore(), valueEncoding: 'utf-8' })
    await t.ready()
    tries.set(t.key!.toString('hex'), t)
    list.push(t)
  }
  const getTrie = (key: Buffer) => {
    const t = tries.get(key.toString('hex'))
    if (!t) throw new Error('unknown key')
    return t
  }
  const root = new MountableTrie(list[0], { getTrie, ...opts })
  await root.ready()
  return { root, tries: list, getTrie }
}

const keys = (nodes: { key: string }[]) => nodes.map((n) => n.key).sort()

describe('mounts', () => {
  it('stores mounts as mountable-hypertrie does', async () => {
    const { root, tries } = await setup(2)
    await root.mount('/mnt', tries[1].key!)
    const record = await tries[0].get('mounts/mnt', { hidden: true })
    expect(record?.flags).toBe(1)
    expect(record?.hidden).toBe(true)
    const m = decodeMountMessage(record!.valueBuffer!)
    expect(m.key.equals(tries[1].key!)).toBe(true)
    expect(m.localPath).toBe('mnt')
    expect(m.version).toBe(null)
    expect(record!.valueBuffer!.toString('hex')).toBe(
      `0a20${tries[1].key!.toString('hex')}1203${Buffer.from('mnt').toString('hex')}`,
    )
    const point = await tries[0].get('mnt')
    expect(point?.flags).toBe(1)
    expect(point?.valueBuffer?.length).toBe(0)
  })

  it('get, put and del cross into the mounted trie and report where entries live', async () => {
    const { root, tries } = await setup(2)
    await tries[1].put('x', 'in-b')
    await root.put('top', 'in-a')
    await root.mount('mnt', tries[1].key!)

    const x = await root.get('mnt/x')
    expect(x?.value).toBe('in-b')
    expect(x?.key).toBe('mnt/x')
    expect(x?.innerPath).toBe('x')
    expect(x?.trie.key?.equals(tries[1].key!)).toBe(true)
    expect(x?.mount.localPath).toBe('mnt')

    const top = await root.get('/top')
    expect(top?.value).toBe('in-a')
    expect(top?.trie).toBe(root)

    const point = await root.get('mnt')
    expect(point?.flags).toBe(1)
    expect(await root.get('mnt/missing')).toBe(null)

    const put = await root.put('mnt/dir/new', 'written-through')
    expect(put.key).toBe('mnt/dir/new')
    expect((await tries[1].get('dir/new'))?.value).toBe('written-through')
    expect(await tries[0].get('mnt/dir/new')).toBe(null)

    await root.del('mnt/dir/new')
    expect(await tries[1].get('dir/new')).toBe(null)
    expect((await root.get('mnt/x'))?.value).toBe('in-b')

    await root.unmount('mnt')
    expect(await root.get('mnt/x')).toBe(null)
    expect(await root.get('mnt')).toBe(null)
  })

  it('iterates into mounts (recursive), mounts of mounts, and honours noMounts and gt', async () => {
    const { root, tries } = await setup(3)
    await tries[2].put('deepfile', 'c')
    await tries[1].put('x', 'b1')
    await tries[1].put('y/z', 'b2')
    const b = new MountableTrie(tries[1], { getTrie: (k) => tries.find((t) => t.key!.equals(k))! })
    await b.mount('deep', tries[2].key!)
    await root.put('top', 'a')
    await root.mount('mnt', tries[1].key!)

    expect(keys(await root.list('', { recursive: true }))).toEqual(
      ['mnt', 'mnt/deep', 'mnt/deep/deepfile', 'mnt/x', 'mnt/y/z', 'top'].sort(),
    )
    expect(keys(await root.list('', { recursive: true, noMounts: true }))).toEqual(['mnt', 'top'])
    // as mountable-hypertrie: a prefix inside a mount lists the mounted trie's entries
    expect(keys(await root.list('mnt'))).toEqual(['mnt/deep', 'mnt/x', 'mnt/y/z'])
    expect(keys(await root.list('mnt', { gt: true }))).toEqual(['mnt/deep', 'mnt/x', 'mnt/y/z'])
    expect(keys(await root.list('mnt/y'))).toEqual(['mnt/y/z'])

    const deep = await root.get('mnt/deep/deepfile')
    expect(deep?.value).toBe('c')
    expect(deep?.trie.key?.equals(tries[2].key!)).toBe(true)
    expect(deep?.innerPath).toBe('deepfile')

    const mounts = await root.listMounts({ recursive: true })
    expect(mounts.map((m) => m.path).sort()).toEqual(['mnt', 'mnt/deep'])
  })

  it('pinned versions read the mounted trie as it was', async () => {
    const { root, tries } = await setup(2)
    await tries[1].put('f', 'old')
    const pinned = tries[1].version
    await tries[1].put('f', 'new')
    await root.mount('latest', tries[1].key!)
    await root.mount('pinned', tries[1].key!, { version: pinned })
    expect((await root.get('latest/f'))?.value).toBe('new')
    expect((await root.get('pinned/f'))?.value).toBe('old')
    const record = await tries[0].get('mounts/pinned', { hidden: true })
    expect(decodeMountMessage(record!.valueBuffer!).version).toBe(pinned)
  })

  it('a trie mounted inside itself ends recursive listing with ELOOP', async () => {
    const { root, tries } = await setup(1)
    await root.put('a', '1')
    await root.mount('self', tries[0].key!)
    expect((await root.get('self/self/a'))?.value).toBe('1')
    await expect(root.list('', { recursive: true })).rejects.toMatchObject({ code: 'ELOOP' })
  })

  it('diff reports mounts and unmounts; history reports mounts', async () => {
    const { root, tries } = await setup(2)
    await root.put('a', '1')
    const v = root.version
    await root.mount('m', tries[1].key!)
    const d = []
    for await (const e of root.diff(v)) d.push({ key: e.key, type: e.type })
    expect(d).toEqual([{ key: 'm', type: 'mount' }])
    const h = []
    for await (const e of root.history()) h.push(e.type)
    // the mount record and the mount point are both mount nodes
    expect(h).toEqual(['put', 'mount', 'mount'])
    await root.unmount('m')
    const back = []
    for await (const e of root.checkout(root.version).diff(v + 2))
      back.push({ key: e.key, type: e.type })
    expect(back.some((e) => e.key === 'm' && e.type === 'unmount')).toBe(true)
  })

  it('watch fires for changes inside a mounted trie', async () => {
    const { root, tries } = await setup(2)
    await root.mount('m', tries[1].key!)
    let changes = 0
    const w = root.watch('', () => changes++)
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no ready')), 2000)
      w.once('ready', () => {
        clearTimeout(t)
        resolve()
      })
    })
    const before = changes
    const fired = new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no change event')), 2000)
      for (const x of w.watchers) {
        x.on('change', () => {
          clearTimeout(t)
          resolve()
        })
      }
    })
    await tries[1].put('inside', 'x')
    await fired
    expect(changes).toBeGreaterThan(before)
    w.destroy()
  })
})

describe('symlinks', () => {
  const readLink = (n: HypertrieNode) => {
    const v = n.value
    return typeof v === 'string' && v.startsWith('link:') ? v.slice(5) : null
  }

  it('resolves links in every component, across mounts', async () => {
    const { root, tries } = await setup(2, { readLink })
    await tries[1].put('real/file', 'data')
    await root.mount('m', tries[1].key!)
    await root.put('alias', 'link:/m/real')
    await root.put('rel/l', 'link:../m/real/file')
    expect((await root.get('alias/file', { followLinks: true }))?.value).toBe('data')
    expect((await root.get('rel/l', { followLinks: true }))?.value).toBe('data')
    expect(await root.realpath('alias/file')).toBe('m/real/file')
    expect(await root.realpath('alias', false)).toBe('alias')
  })

  it('a link cycle is a typed ELOOP error', async () => {
    const { root } = await setup(1, { readLink, maxSymlinkDepth: 8 })
    await root.put('a', 'link:b')
    await root.put('b', 'link:a')
    const err = await root.get('a', { followLinks: true }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'ELOOP', path: 'a' })
  })
})
