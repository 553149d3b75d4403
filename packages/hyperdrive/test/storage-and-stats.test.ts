// The last of hyperdrive@10's promise methods: destroyStorage (delete the drive's local copy),
// watchStats (block counts on an interval, for progress) and extension (a message to every peer).
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Hyperdrive, type PathStats } from '../src/index.js'
import { memoryStorage } from './helpers/hyperstack-backend.js'
import { tempDir } from './helpers/tmp.js'
import { connect } from './helpers/wire.js'

const cleanup: (() => unknown)[] = []
afterEach(async () => {
  vi.useRealTimers()
  for (const fn of cleanup.splice(0).reverse()) await fn()
})

/** Every file below `dir`, relative to it. */
async function filesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length))
}

function coreFiles(files: string[], core: { discoveryKey: Buffer | null }): string[] {
  const hex = core.discoveryKey!.toString('hex')
  return files.filter((f) => f.includes(hex))
}

describe('destroyStorage', () => {
  it('deletes the metadata and content cores of a drive on disk, then closes it', async () => {
    const dir = await tempDir()
    cleanup.push(dir.remove)
    const drive = new Hyperdrive(dir.path)
    await drive.ready()
    await drive.writeFile('/a.txt', 'hello')
    const content = (await drive.getContent())!
    const before = await filesBelow(dir.path)
    expect(coreFiles(before, drive.metadata!)).toHaveLength(6)
    expect(coreFiles(before, content)).toHaveLength(6)

    await drive.destroyStorage()

    const after = await filesBelow(dir.path)
    expect(coreFiles(after, drive.metadata!)).toEqual([])
    expect(coreFiles(after, content)).toEqual([])
    await expect(drive.readFile('/a.txt')).rejects.toMatchObject({ code: 'ERR_CLOSED' })
  })

  it('leaves a mounted drive its storage', async () => {
    const store = memoryStorage()
    const other = new Hyperdrive(store)
    cleanup.push(() => other.close())
    await other.ready()
    await other.writeFile('/x', 'mounted')
    const drive = new Hyperdrive(store)
    await drive.ready()
    await drive.mount('/m', other.key!)
    expect((await drive.readFile('/m/x')).toString()).toBe('mounted')

    await drive.destroyStorage()

    expect((await other.readFile('/x')).toString()).toBe('mounted')
  })

  it('refuses on a checkout (EPERM)', async () => {
    const drive = new Hyperdrive(memoryStorage())
    cleanup.push(() => drive.close())
    await drive.ready()
    await drive.writeFile('/a', 'a')
    await expect(drive.checkout(1).destroyStorage()).rejects.toMatchObject({ code: 'EPERM' })
    expect((await drive.readFile('/a')).toString()).toBe('a')
  })
})

describe('watchStats', () => {
  it('collects stats every statsInterval and emits update until destroyed', async () => {
    const drive = new Hyperdrive(memoryStorage())
    cleanup.push(() => drive.close())
    await drive.ready()
    await drive.writeFile('/d/a', Buffer.alloc(10))
    await drive.writeFile('/d/b', Buffer.alloc(20))
    vi.useFakeTimers()
    const watcher = drive.watchStats('/d', { statsInterval: 500 })
    const updates: PathStats[] = []
    watcher.on('update', (stats: PathStats) => updates.push(stats))

    await vi.advanceTimersByTimeAsync(499)
    expect(updates).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(updates).toHaveLength(1)
    expect(watcher.stats).toEqual(
      new Map([
        ['/d/a', { blocks: 1, size: 10, downloadedBlocks: 1 }],
        ['/d/b', { blocks: 1, size: 20, downloadedBlocks: 1 }],
      ]),
    )
    await vi.advanceTimersByTimeAsync(1000)
    expect(updates).toHaveLength(3)

    const destroyed = vi.fn()
    watcher.on('destroy', destroyed)
    watcher.destroy()
    await vi.advanceTimersByTimeAsync(2000)
    expect(updates).toHaveLength(3)
    expect(destroyed).toHaveBeenCalledWith(undefined)
  })

  it("takes the original's statsInveral spelling; a failing collection destroys with its error", async () => {
    const drive = new Hyperdrive(memoryStorage())
    cleanup.push(() => drive.close())
    await drive.ready()
    vi.useFakeTimers()
    const watcher = drive.watchStats('/missing', { statsInveral: 100 })
    const destroyed = new Promise((resolve) => watcher.once('destroy', resolve))
    await vi.advanceTimersByTimeAsync(100)
    expect(await destroyed).toMatchObject({ code: 'ENOENT' })
    expect(watcher.destroyed).toBe(true)
  })

  it('stops when the drive closes', async () => {
    const drive = new Hyperdrive(memoryStorage())
    await drive.ready()
    await drive.writeFile('/a', 'a')
    const watcher = drive.watchStats('/a', { statsInterval: 50 })
    await drive.close()
    expect(watcher.destroyed).toBe(true)
  })
})

describe('extension', () => {
  it("sends to every peer on the metadata core's extension (peers lists them)", async () => {
    const writer = new Hyperdrive(memoryStorage())
    cleanup.push(() => writer.close())
    await writer.ready()
    await writer.writeFile('/a', 'a')
    writer.registerExtension('note', { onmessage: () => {} })
    const reader = new Hyperdrive(memoryStorage(), writer.key, { sparse: true })
    cleanup.push(() => reader.close())
    const got = new Promise((resolve) => {
      reader
        .ready()
        .then(() => reader.registerExtension('note', { onmessage: (m) => resolve(m.toString()) }))
    })
    const wire = connect(
      writer.replicate(true, { live: true }),
      reader.replicate(false, { live: true }),
    )
    cleanup.push(() => wire.close())
    expect((await reader.readFile('/a')).toString()).toBe('a')

    expect(writer.peers).toHaveLength(1)
    expect(reader.peers).toHaveLength(1)
    writer.extension('note', Buffer.from('hello peers'))

    expect(await got).toBe('hello peers')
  })
})
