// The drive on our own layers (@hyperstack/hypercore + @hyperstack/hypertrie, mounts via
// MountableTrie): files, directories, symlinks, mounts, tags, checkouts, errors.
import { afterEach, describe, expect, it } from 'vitest'
import { Hyperdrive, hypertrieFactory } from '../src/index.js'
import { MemoryCorestore } from './helpers/hyperstack-backend.js'

const open: Hyperdrive[] = []
async function newDrive(store = new MemoryCorestore(), opts = {}): Promise<Hyperdrive> {
  const drive = new Hyperdrive(store, null, { createTrie: hypertrieFactory, ...opts })
  await drive.ready()
  open.push(drive)
  return drive
}

afterEach(async () => {
  for (const d of open.splice(0)) await d.close()
})

describe('Hyperdrive on our layers', () => {
  it('creates a drive with a header naming its content core', async () => {
    const drive = await newDrive()
    expect(drive.version).toBe(1)
    expect(drive.writable).toBe(true)
    const content = await drive.getContent()
    expect(content!.key!.length).toBe(32)
    expect(await drive.trie.getMetadata()).toEqual(content!.key)
  })

  it('writes and reads files, with ranges and blocks as the original', async () => {
    const drive = await newDrive()
    await drive.writeFile('/hello.txt', 'world', { mtime: 1598961600000, ctime: 1598961600000 })
    const st = await drive.stat('hello.txt')
    expect(st.encode().toString('hex')).toBe(
      '08a4830210001800200528013000380040808ca7ccc42e48808ca7ccc42e',
    )
    expect(await drive.readFile('/hello.txt', 'utf-8')).toBe('world')
    const big = Buffer.alloc(1300000)
    for (let i = 0; i < big.length; i++) big[i] = (i * 7 + 3) & 255
    await drive.writeFile('/big.bin', big)
    const bst = await drive.stat('/big.bin')
    expect([bst.size, bst.blocks, bst.offset, bst.byteOffset]).toEqual([1300000, 3, 1, 5])
    expect(((await drive.readFile('/big.bin')) as Buffer).equals(big)).toBe(true)
    const part = (await drive.readFile('/big.bin', { start: 524280, length: 20 })) as Buffer
    expect(part.equals(big.subarray(524280, 524300))).toBe(true)
    const tail = (await drive.readFile('/big.bin', { start: 1200000 })) as Buffer
    expect(tail.equals(big.subarray(1200000))).toBe(true)
    await drive.writeFile('/empty', '')
    const est = await drive.stat('/empty')
    expect([est.size, est.blocks]).toEqual([0, 1])
    expect(((await drive.readFile('/empty')) as Buffer).length).toBe(0)
  })

  it('streams writes into one block per chunk', async () => {
    const drive = await newDrive()
    const ws = drive.createWriteStream('/s.bin')
    const done = new Promise((resolve, reject) => {
      ws.on('close', () => resolve(undefined))
      ws.on('error', reject)
    })
    ws.write(Buffer.alloc(1000, 1))
    ws.write(Buffer.alloc(2000, 2))
    ws.write(Buffer.alloc(600000, 3))
    ws.end(Buffer.alloc(10, 4))
    await done
    const st = await drive.stat('/s.bin')
    expect([st.size, st.blocks]).toEqual([603010, 5])
    const content = (await drive.getContent())!
    const lens: number[] = []
    for (let i = st.offset; i < st.offset + st.blocks; i++)
      lens.push(((await content.get(i)) as Buffer).length)
    expect(lens).toEqual([1000, 2000, 524288, 75712, 10])
  })

  it('truncates like the original', async () => {
    const drive = await newDrive()
    await drive.writeFile('/t', Buffer.alloc(1000, 7))
    await drive.truncate('/t', 0)
    expect((await drive.stat('/t')).size).toBe(1000)
    await drive.truncate('/t', 600)
    expect(((await drive.readFile('/t')) as Buffer).equals(Buffer.alloc(600, 7))).toBe(true)
    await drive.truncate('/t', 700)
    const grown = (await drive.readFile('/t')) as Buffer
    expect(grown.equals(Buffer.concat([Buffer.alloc(600, 7), Buffer.alloc(100)]))).toBe(true)
    await drive.truncate('/new', 0)
    expect((await drive.stat('/new')).size).toBe(0)
  })

  it('handles directories and their errors', async () => {
    const drive = await newDrive()
    await drive.mkdir('/d')
    await expect(drive.mkdir('/d')).rejects.toMatchObject({ code: 'EEXIST', path: '/d' })
    await drive.writeFile('/d/a', 'a')
    await drive.writeFile('/d/sub/b', 'b')
    expect((await drive.readdir('/d')).sort()).toEqual(['a', 'sub'])
    expect((await drive.readdir('/d', { recursive: true })).sort()).toEqual(['a', 'sub/b'])
    await expect(drive.rmdir('/d')).rejects.toMatchObject({ code: 'ENOTEMPTY' })
    await expect(drive.rmdir('/d/a')).rejects.toMatchObject({ code: 'ENOTDIR' })
    await expect(drive.readdir('/d/a')).rejects.toMatchObject({ code: 'ENOTDIR' })
    await expect(drive.readFile('/d')).rejects.toMatchObject({ code: 'EISDIR' })
    await expect(drive.readFile('/d/sub')).rejects.toMatchObject({ code: 'ENOENT' })
    expect((await drive.stat('/d/sub')).isDirectory()).toBe(true)
    await drive.unlink('/d/a')
    await drive.unlink('/d/sub/b')
    await expect(drive.unlink('/d/a')).rejects.toMatchObject({ code: 'ENOENT', errno: 2 })
    await drive.rmdir('/d')
    expect(await drive.exists('/d')).toBe(false)
    await expect(drive.rmdir('/d')).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('follows symlinks and detects loops', async () => {
    const drive = await newDrive()
    await drive.writeFile('/dir/a.bin', 'A')
    await drive.symlink('/dir/a.bin', '/abs')
    await drive.symlink('a.bin', '/dir/rel')
    await drive.symlink('/dir', '/dirlink')
    await drive.symlink('/nowhere', '/dangling')
    await expect(drive.symlink('/x', '/abs')).rejects.toMatchObject({ code: 'EEXIST' })
    expect(await drive.readFile('/abs', 'utf-8')).toBe('A')
    expect(await drive.readFile('/dir/rel', 'utf-8')).toBe('A')
    expect(await drive.readlink('/dir/rel')).toBe('a.bin')
    expect((await drive.lstat('/abs')).isSymbolicLink()).toBe(true)
    expect((await drive.stat('/dirlink')).isDirectory()).toBe(true)
    const rec = (await drive.readdir('/', { recursive: true })).sort()
    expect(rec).toContain('dirlink/a.bin')
    expect(rec).not.toContain('dangling')
    expect((await drive.readdir('/')).sort()).toContain('dangling')
    await drive.symlink('/loop2', '/loop1')
    await drive.symlink('/loop1', '/loop2')
    await expect(drive.stat('/loop1')).rejects.toMatchObject({ code: 'ELOOP' })
  })

  it('keeps metadata and copies without new content', async () => {
    const drive = await newDrive()
    await drive.writeFile('/f', 'data', { metadata: { a: Buffer.from('1') } })
    await drive.setMetadata('/f', 'author', 'spec')
    await drive.removeMetadata('/f', 'a')
    const st = await drive.stat('/f')
    expect(st.metadata).toEqual({ a: null, author: Buffer.from('spec') })
    const content = (await drive.getContent())!
    const before = content.length
    await drive.copy('/f', '/g')
    expect(content.length).toBe(before)
    expect(await drive.readFile('/g', 'utf-8')).toBe('data')
  })

  it('streams a file written in 64 KiB chunks back in ranged reads, any range', async () => {
    const drive = await newDrive()
    const chunk = 64 * 1024
    const file = Buffer.alloc(40 * chunk)
    for (let i = 0; i < file.length; i++) file[i] = (i * 13 + (i >> 16)) & 255
    const ws = drive.createWriteStream('/s.bin')
    const done = new Promise<void>((resolve, reject) => {
      ws.once('close', () => resolve())
      ws.once('error', reject)
    })
    for (let i = 0; i < file.length; i += chunk) ws.write(file.subarray(i, i + chunk))
    ws.end(undefined)
    await done
    const st = await drive.stat('/s.bin')
    expect(st.blocks).toBe(40)
    const read = async (opts: { start?: number; end?: number; length?: number }) => {
      const parts: Buffer[] = []
      for await (const part of drive.createReadStream('/s.bin', opts)) parts.push(part as Buffer)
      return parts
    }
    const whole = await read({})
    // Stored blocks are read in runs of about 1 MiB, not one 64 KiB block at a time.
    expect(whole.length).toBeLessThan(10)
    expect(Buffer.concat(whole).equals(file)).toBe(true)
    for (const r of [
      { start: 100000, length: 1500000 },
      { start: chunk * 7, end: chunk * 23 - 1 },
      { start: 5, length: 1 },
      { start: file.length - 3 },
    ]) {
      const end = r.end !== undefined ? r.end + 1 : r.start + (r.length ?? file.length)
      const got = Buffer.concat(await read(r))
      expect(got.equals(file.subarray(r.start, Math.min(end, file.length)))).toBe(true)
    }
  })

  it('mounts a drive of the same store and writes through it', async () => {
    const store = new MemoryCorestore()
    const a = await newDrive(store)
    const b = await newDrive(store, { namespace: 'b' })
    await b.writeFile('/inb.txt', 'hello from b')
    await a.mount('/mounted', b.key!)
    await expect(a.mount('/mounted', b.key!)).rejects.toMatchObject({ code: 'EEXIST' })
    const st = await a.stat('/mounted')
    expect(st.isDirectory()).toBe(true)
    expect(st.mount!.key).toEqual(b.key)
    expect(await a.readFile('/mounted/inb.txt', 'utf-8')).toBe('hello from b')
    await a.writeFile('/mounted/through-a.txt', 'via a')
    expect(await b.readFile('/through-a.txt', 'utf-8')).toBe('via a')
    expect((await a.readdir('/mounted')).sort()).toEqual(['inb.txt', 'through-a.txt'])
    // Names-only listings beside, at and below a mount point (the fast scan must defer to mounts).
    await b.writeFile('/sub/deep.txt', 'below')
    await a.writeFile('/beside.txt', 'next to the mount')
    expect((await a.readdir('/')).sort()).toEqual(['beside.txt', 'mounted'])
    expect(await a.readdir('/mounted/sub')).toEqual(['deep.txt'])
    expect(await a.readdir('/', { noMounts: true })).toContain('mounted')
    await a.unlink('/beside.txt')
    await b.unlink('/sub/deep.txt')
    expect((await a.readdir('/', { recursive: true })).sort()).toEqual([
      'mounted',
      'mounted/inb.txt',
      'mounted/through-a.txt',
    ])
    expect(await a.readdir('/', { recursive: true, noMounts: true })).toEqual(['mounted'])
    const mounts = await a.getAllMounts()
    expect([...mounts.keys()]).toEqual(['/', '/mounted'])
    expect(mounts.get('/mounted')!.metadata.key).toEqual(b.key)
    const info = await a.info('/mounted/inb.txt')
    expect(info.feed.key).toEqual(b.key)
    // A checkout resolves the mount to the mounted drive (the original's checkout bug is not copied).
    const old = a.checkout(a.version)
    expect((await old.readdir('/', { recursive: true })).sort()).toContain('mounted/inb.txt')
    await a.unmount('/mounted')
    expect(await a.exists('/mounted/inb.txt')).toBe(false)
    expect(await a.readdir('/')).toEqual([])
  })

  it('tags, checkouts, diffs and read-only errors', async () => {
    const drive = await newDrive()
    expect(await drive.getAllTags()).toEqual([])
    await drive.writeFile('/a', '1')
    await drive.createTag('v1')
    expect(await drive.getTaggedVersion('v1')).toBe(2)
    await drive.writeFile('/a', '2')
    await drive.writeFile('/b', '3')
    const tags = await drive.getAllTags()
    expect(tags instanceof Map && Object.fromEntries(tags)).toEqual({ v1: 2 })
    const old = drive.checkout((await drive.getTaggedVersion('v1'))!)
    expect(await old.readFile('/a', 'utf-8')).toBe('1')
    expect(await old.exists('/b')).toBe(false)
    await expect(old.writeFile('/c', 'x')).rejects.toMatchObject({ code: 'EPERM' })
    const diff: { type: string; name: string }[] = []
    for await (const e of drive.createDiffStream(2)) diff.push(e as { type: string; name: string })
    expect(diff.map((d) => `${d.type}:${d.name}`).sort()).toEqual(['put:a', 'put:b'])
    await drive.deleteTag('v1')
    expect(await drive.getTaggedVersion('v1')).toBe(null)
    await expect(drive.createTag(5 as unknown as string)).rejects.toMatchObject({ code: 'EINVAL' })
  })

  it('refuses writes to a read-only drive', async () => {
    const store = new MemoryCorestore()
    const a = await newDrive(store)
    await a.writeFile('/x', 'y')
    const other = new MemoryCorestore('other')
    const ro = new Hyperdrive(other, a.key, { createTrie: hypertrieFactory })
    open.push(ro)
    await ro.ready()
    expect(ro.writable).toBe(false)
    await expect(ro.writeFile('/z', 'q')).rejects.toMatchObject({ code: 'EPERM' })
    await expect(ro.mkdir('/z')).rejects.toMatchObject({ code: 'EPERM' })
  })

  it('watches a path', async () => {
    const drive = await newDrive()
    let changes = 0
    let notify: () => void = () => {}
    const w = drive.watch('/w', () => {
      changes++
      notify()
    })
    const changed = new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no watch event')), 5000)
      notify = () => {
        clearTimeout(t)
        resolve()
      }
    })
    await drive.writeFile('/w/file', 'x')
    await changed
    expect(changes).toBeGreaterThan(0)
    w.destroy()
  })

  it('downloads with progress', async () => {
    const drive = await newDrive()
    await drive.writeFile('/d/a', Buffer.alloc(600000))
    await drive.writeFile('/d/b', 'b')
    const seen: number[] = []
    const dl = drive.download('/d')
    dl.on('progress', (p) => seen.push(p.downloadedBlocks))
    const result = await dl
    expect(result.totalBlocks).toBe(3)
    expect(result.downloadedBlocks).toBe(3)
    expect(result.downloadedBytes).toBe(600001)
    expect(seen.at(-1)).toBe(3)
  })

  it('reports block stats, lists mounts as a stream and clears local blocks', async () => {
    const drive = await newDrive()
    await drive.writeFile('/s/a', Buffer.alloc(600000, 1))
    await drive.writeFile('/s/b', 'b')
    const one = await drive.stats('/s/a')
    expect(one).toEqual({ blocks: 2, size: 600000, downloadedBlocks: 2 })
    const all = (await drive.stats('/s')) as Map<string, unknown>
    expect([...all.keys()].sort()).toEqual(['/s/a', '/s/b'])
    const mounts: string[] = []
    for await (const m of drive.createMountStream()) mounts.push(m.path)
    expect(mounts).toEqual(['/'])
    await drive.clear('/s/b')
    expect(await drive.stats('/s/b')).toEqual({ blocks: 1, size: 1, downloadedBlocks: 0 })
  })
})
