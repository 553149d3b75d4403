// destroyStorage (close, then delete the six files) and extension(name, message), the two
// hypercore@9 methods hyperdrive@10 builds its own destroyStorage and extension on.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import RAM from 'random-access-memory'
import { afterEach, describe, expect, it } from 'vitest'
import { Corestore, Hypercore, type RandomAccessStorage } from '../src/index.js'
import { replicateLive, tmpDir } from './helpers.js'

const FILE_NAMES = ['bitfield', 'data', 'key', 'secret_key', 'signatures', 'tree']

/** random-access-memory@3: the random-access-storage 1 API (destroy, no unlink). */
const RAMv3 = createRequire(import.meta.url)(
  'random-access-memory-v3',
) as new () => RandomAccessStorage

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

describe('destroyStorage', () => {
  it('deletes the files of a core on disk; the folder then opens a new, empty core', async () => {
    const { dir, cleanup } = tmpDir()
    cleanups.push(cleanup)
    const core = new Hypercore(dir)
    await core.append(['a', 'b', 'c'])
    const key = core.key
    expect(fs.readdirSync(dir).sort()).toEqual(FILE_NAMES)

    await core.destroyStorage()

    expect(fs.readdirSync(dir)).toEqual([])
    await expect(core.append('d')).rejects.toMatchObject({ code: 'ERR_CLOSED' })
    const reopened = new Hypercore(dir)
    cleanups.push(() => reopened.close())
    await reopened.ready()
    expect(reopened.length).toBe(0)
    expect(reopened.key?.equals(key as Buffer)).toBe(false)
  })

  it('a replica that never wrote its secret key deletes the files it has', async () => {
    const { dir, cleanup } = tmpDir()
    cleanups.push(cleanup)
    const writer = new Hypercore(() => new RAM())
    cleanups.push(() => writer.close())
    await writer.append('x')
    const replica = new Hypercore(path.join(dir, 'replica'), writer.key)
    await replica.ready()
    const before = fs.readdirSync(path.join(dir, 'replica'))
    expect(before).not.toContain('secret_key')
    await replica.destroyStorage()
    expect(fs.readdirSync(path.join(dir, 'replica'))).toEqual([])
  })

  it('a Corestore core also loses the key and name files corestore wrote for it', async () => {
    const { dir, cleanup } = tmpDir()
    cleanups.push(cleanup)
    const store = new Corestore(dir)
    cleanups.push(() => store.close())
    await store.ready()
    const named = store.get({ name: 'notes' })
    await named.append('x')
    const folder = path.join(
      dir,
      (named.discoveryKey as Buffer).toString('hex').replace(/^(..)(..)/, '$1/$2/$1$2'),
    )
    expect(fs.readdirSync(folder).sort()).toEqual([
      'bitfield',
      'data',
      'key',
      'name',
      'signatures',
      'tree',
    ])

    await named.destroyStorage()

    expect(fs.readdirSync(folder)).toEqual([])
    expect(fs.readdirSync(dir)).toContain('master_key')
  })

  it('unlinks each file of a random-access-storage 3 backend', async () => {
    const unlinked: string[] = []
    const core = new Hypercore((name: string) => {
      const file = new RAM()
      file.on('unlink', () => unlinked.push(name))
      return file
    })
    await core.append('x')
    await core.destroyStorage()
    expect(unlinked.sort()).toEqual(FILE_NAMES)
  })

  it('destroys each file of a random-access-storage 1 backend (random-access-memory@3)', async () => {
    const destroyed: string[] = []
    const core = new Hypercore((name: string): RandomAccessStorage => {
      const file = new RAMv3()
      file.on('destroy', () => destroyed.push(name))
      return file
    })
    await core.append('x')
    await core.destroyStorage()
    expect(destroyed.sort()).toEqual(FILE_NAMES)
  })
})

describe('extension(name, message)', () => {
  it('sends to every peer on the extension registered under that name', async () => {
    const writer = new Hypercore(() => new RAM())
    await writer.append('x')
    const reader = new Hypercore(() => new RAM(), writer.key, { sparse: true })
    cleanups.push(
      () => writer.close(),
      () => reader.close(),
    )
    const got = new Promise<unknown>((resolve) => {
      reader.registerExtension('greet', { encoding: 'json', onmessage: resolve })
    })
    writer.registerExtension('greet', { encoding: 'json' })
    cleanups.push(replicateLive(writer, reader))
    await reader.get(0)

    writer.extension('greet', { hello: 'reader' })

    expect(await got).toEqual({ hello: 'reader' })
  })

  it('throws ERR_INVALID_ARGUMENT for a name nobody registered', async () => {
    const core = new Hypercore(() => new RAM())
    cleanups.push(() => core.close())
    await core.ready()
    expect(() => core.extension('nope', 'x')).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    )
  })
})
