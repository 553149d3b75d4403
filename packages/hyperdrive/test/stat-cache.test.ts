// The writer's Stat cache never serves a stale Stat: writes by another drive object on the same
// core, writes through mounts, concurrent writes and lookups racing writes all show through.
import { afterEach, describe, expect, it } from 'vitest'
import type { DriveTrie, TriePutResult } from '../src/drive-backend.js'
import { Hyperdrive, hypertrieFactory } from '../src/index.js'
import { StatCache } from '../src/stat-cache.js'
import { MemoryCorestore } from './helpers/hyperstack-backend.js'

const open: Hyperdrive[] = []
async function newDrive(
  store = new MemoryCorestore(),
  key: Buffer | null = null,
  opts = {},
): Promise<Hyperdrive> {
  const drive = new Hyperdrive(store, key, { createTrie: hypertrieFactory, ...opts })
  await drive.ready()
  open.push(drive)
  return drive
}

afterEach(async () => {
  for (const d of open.splice(0)) await d.close()
})

async function text(drive: Hyperdrive, path: string): Promise<string> {
  return (await drive.readFile(path, 'utf-8')) as string
}

describe('stat cache', () => {
  it('follows its own writes: overwrite, unlink, mkdir, symlink', async () => {
    const drive = await newDrive()
    await drive.writeFile('/f', 'one')
    expect((await drive.stat('/f')).size).toBe(3)
    await drive.writeFile('/f', 'three')
    expect((await drive.stat('/f')).size).toBe(5)
    expect(await text(drive, '/f')).toBe('three')
    await drive.unlink('/f')
    await expect(drive.stat('/f')).rejects.toMatchObject({ code: 'ENOENT' })
    await drive.mkdir('/f')
    expect((await drive.stat('/f')).isDirectory()).toBe(true)
    await drive.writeFile('/target', 'pointed at')
    await drive.symlink('/target', '/link')
    expect((await drive.stat('/link')).size).toBe('pointed at'.length)
    expect((await drive.lstat('/link')).isSymbolicLink()).toBe(true)
    expect(await text(drive, '/link')).toBe('pointed at')
  })

  it('sees writes made by another drive object on the same writable core', async () => {
    const store = new MemoryCorestore()
    const a = await newDrive(store)
    const b = await newDrive(store, a.key)
    expect(b.writable).toBe(true)
    await a.writeFile('/f', 'from a')
    expect(await text(a, '/f')).toBe('from a')
    await b.writeFile('/f', 'from b, longer')
    expect((await a.stat('/f')).size).toBe('from b, longer'.length)
    expect(await text(a, '/f')).toBe('from b, longer')
    // b appends exactly one node between two writes of a: a must not take b's node for its own.
    await a.writeFile('/g', 'a1')
    await b.writeFile('/g', 'b-two')
    await a.writeFile('/h', 'a3')
    expect(await text(a, '/g')).toBe('b-two')
    expect(await text(a, '/h')).toBe('a3')
    await b.unlink('/h')
    await expect(a.stat('/h')).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('keeps mounted paths right when writing through the mount and in the mounted drive', async () => {
    const store = new MemoryCorestore()
    const a = await newDrive(store)
    const b = await newDrive(store, null, { namespace: 'b' })
    await a.writeFile('/top', 'in a')
    expect(await text(a, '/top')).toBe('in a')
    await b.writeFile('/x', 'in b')
    await a.mount('/m', b.key!)
    expect(await text(a, '/m/x')).toBe('in b')
    await a.writeFile('/m/x', 'through a')
    expect(await text(b, '/x')).toBe('through a')
    expect(await text(a, '/m/x')).toBe('through a')
    await b.writeFile('/x', 'b again, longer')
    expect((await a.stat('/m/x')).size).toBe('b again, longer'.length)
    expect(await text(a, '/top')).toBe('in a')
    await a.unmount('/m')
    await expect(a.stat('/m/x')).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('gives the last write after concurrent writes and lookups racing them', async () => {
    const drive = await newDrive()
    const writes: Promise<void>[] = []
    const reads: Promise<unknown>[] = []
    for (let i = 0; i < 200; i++) {
      writes.push(drive.writeFile(`/d/f${i % 20}`, 'x'.repeat(i + 1)))
      reads.push(drive.stat(`/d/f${i % 20}`).catch(() => null))
    }
    await Promise.all([...writes, ...reads])
    for (let j = 0; j < 20; j++) {
      // The last write of f{j} was i = 180 + j: 181 + j bytes.
      expect((await drive.stat(`/d/f${j}`)).size).toBe(181 + j)
      expect((await drive.readFile(`/d/f${j}`)).length).toBe(181 + j)
    }
  })

  it('serves a checkout the Stats of its version', async () => {
    const drive = await newDrive()
    await drive.writeFile('/f', 'old')
    const old = drive.checkout(drive.version)
    await old.ready()
    expect(await text(old, '/f')).toBe('old')
    await drive.writeFile('/f', 'newer')
    expect(await text(old, '/f')).toBe('old')
    expect(await text(drive, '/f')).toBe('newer')
    expect((await old.stat('/f')).size).toBe(3)
  })
})

describe('StatCache', () => {
  const trie = (version: number): DriveTrie => ({ version }) as unknown as DriveTrie
  const value = (s: string): Buffer => Buffer.from(s)

  it('serves entries only at the version they were read or written at', () => {
    const cache = new StatCache(4)
    const root = trie(5)
    cache.read(root, 5, 'a', value('A'))
    expect(cache.get(root, 'a')).toEqual(value('A'))
    // A lookup that saw the version move while it ran is not kept.
    cache.read(trie(6), 5, 'b', value('B'))
    expect(cache.get(root, 'b')).toBeUndefined()
    const moved = trie(6)
    expect(cache.get(moved, 'a')).toBeUndefined()
    expect(cache.get(root, 'a')).toBeUndefined()
  })

  it('follows a put only when it appended the next node of the root trie', () => {
    const cache = new StatCache(4)
    const root = trie(5)
    const other = trie(9)
    cache.read(root, 5, 'a', value('A'))
    const put = (seq: number, t: DriveTrie): TriePutResult => ({ seq, trie: t })
    cache.wrote(root, 'b', value('B'), put(5, other))
    cache.wrote(root, 'b', value('B'), put(6, root))
    cache.wrote(root, 'b', value('B'), undefined)
    expect(cache.get(root, 'a')).toEqual(value('A'))
    expect(cache.get(root, 'b')).toBeUndefined()
    const after = trie(6)
    cache.wrote(after, 'b', value('B'), put(5, after))
    expect(cache.get(after, 'a')).toEqual(value('A'))
    expect(cache.get(after, 'b')).toEqual(value('B'))
  })

  it('keeps at most its limit, dropping the oldest', () => {
    const cache = new StatCache(2)
    const root = trie(1)
    for (const k of ['a', 'b', 'c']) cache.read(root, 1, k, value(k))
    expect(cache.get(root, 'a')).toBeUndefined()
    expect(cache.get(root, 'b')).toEqual(value('b'))
    expect(cache.get(root, 'c')).toEqual(value('c'))
  })
})
