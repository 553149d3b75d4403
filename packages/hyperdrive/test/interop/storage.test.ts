// On-disk interop with hyperdrive@10 (corestore@5, random-access-file): a folder written by our
// drive opens in the original with the same contents, and the reverse.
import { afterEach, describe, expect, it } from 'vitest'
import { Hyperdrive } from '../../src/index.js'
import { folderStorage } from '../helpers/original-backend.js'
import { type OriginalDrive, openOriginal } from '../helpers/original-drive.js'
import { tempDir } from '../helpers/tmp.js'

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn()
})

function pattern(len: number, mul: number, add: number): Buffer {
  const b = Buffer.alloc(len)
  for (let i = 0; i < len; i++) b[i] = (i * mul + add) & 255
  return b
}

const BIG = pattern(600000, 7, 3)

describe('storage interop with hyperdrive@10', () => {
  it('ours writes a folder, hyperdrive@10 reads it', async () => {
    const dir = await tempDir()
    cleanup.push(dir.remove)
    const a = new Hyperdrive(dir.path)
    await a.ready()
    const b = new Hyperdrive(a.corestore, null, { namespace: 'b' })
    await b.ready()
    await b.writeFile('/inb.txt', 'hello from b')
    await a.writeFile('/hello.txt', 'world', { metadata: { author: Buffer.from('us') } })
    await a.mkdir('/dir')
    await a.writeFile('/dir/big.bin', BIG)
    await a.writeFile('/dir/empty.txt', '')
    await a.symlink('/hello.txt', '/link')
    await a.symlink('big.bin', '/dir/rel')
    await a.mount('/mounted', b.key!)
    await a.createTag('t1')
    const tagged = a.version - 1
    await a.writeFile('/after-tag.txt', 'later')
    await a.unlink('/hello.txt')
    await a.writeFile('/hello.txt', 'world again')
    const key = a.key!
    const version = a.version
    await b.close()
    await a.close()

    const orig = await openOriginal(folderStorage(dir.path))
    cleanup.push(() => orig.promises.close())
    expect(orig.key.equals(key)).toBe(true)
    expect(orig.version).toBe(version)
    const p = orig.promises
    expect((await p.readdir('/', { recursive: true })).sort()).toEqual(
      [
        'after-tag.txt',
        'dir',
        'dir/big.bin',
        'dir/empty.txt',
        'dir/rel',
        'hello.txt',
        'link',
        'mounted',
        'mounted/inb.txt',
      ].sort(),
    )
    expect(await p.readFile('/hello.txt', 'utf-8')).toBe('world again')
    expect(await p.readFile('/link', 'utf-8')).toBe('world again')
    expect(((await p.readFile('/dir/big.bin')) as Buffer).equals(BIG)).toBe(true)
    expect(((await p.readFile('/dir/rel')) as Buffer).equals(BIG)).toBe(true)
    expect(await p.readFile('/mounted/inb.txt', 'utf-8')).toBe('hello from b')
    const st = await p.stat('/dir/big.bin')
    expect([st.size, st.blocks]).toEqual([600000, 2])
    expect(await p.readlink('/dir/rel')).toBe('big.bin')
    expect((await p.stat('/mounted')).mount!.key.equals(b.key!)).toBe(true)
    expect(Object.fromEntries((await p.getAllTags()) as Map<string, number>)).toEqual({
      t1: tagged,
    })
    const old = p.checkout(tagged)
    expect(await old.readFile('/hello.txt', 'utf-8')).toBe('world')
    const oldNames = await old.readdir('/', { recursive: true, noMounts: true })
    expect(oldNames).not.toContain('after-tag.txt')
  })

  it('hyperdrive@10 writes a folder, ours reads it', async () => {
    const dir = await tempDir()
    cleanup.push(dir.remove)
    const orig: OriginalDrive = await openOriginal(folderStorage(dir.path))
    const p = orig.promises
    await p.writeFile('/hello.txt', 'world')
    await p.mkdir('/dir')
    await p.writeFile('/dir/big.bin', BIG)
    await p.symlink('/hello.txt', '/link')
    await p.setMetadata('/hello.txt', 'k', Buffer.from('v'))
    // Explicit version: hyperdrive@10's promises.createTag(name) passes `undefined`, which its
    // TagManager (checking `=== null`) stores as version 0.
    await p.createTag('t1', orig.version)
    await p.writeFile('/dir/big.bin', 'replaced')
    const key = orig.key
    const version = orig.version
    await p.close()

    const ours = new Hyperdrive(dir.path)
    cleanup.push(() => ours.close())
    await ours.ready()
    expect(ours.key!.equals(key)).toBe(true)
    expect(ours.version).toBe(version)
    expect(ours.writable).toBe(true)
    expect((await ours.readdir('/', { recursive: true })).sort()).toEqual(
      ['dir', 'dir/big.bin', 'hello.txt', 'link'].sort(),
    )
    expect(await ours.readFile('/link', 'utf-8')).toBe('world')
    expect((await ours.stat('/hello.txt')).metadata).toEqual({ k: Buffer.from('v') })
    expect(await ours.readFile('/dir/big.bin', 'utf-8')).toBe('replaced')
    const t = await ours.getTaggedVersion('t1')
    const old = ours.checkout(t!)
    expect(((await old.readFile('/dir/big.bin')) as Buffer).equals(BIG)).toBe(true)
    // The content core reopens writable from its stored name: ours can keep writing the drive.
    await ours.writeFile('/more.txt', 'appended by us')
    expect(await ours.readFile('/more.txt', 'utf-8')).toBe('appended by us')
  })
})
