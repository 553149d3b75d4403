// Exporting a drive into a folder: several files at once, every byte and mtime right, and a
// failing file stops the export with nothing half-written left in the folder.
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Hyperdrive } from '@hyperstack/hyperdrive'
import RAM from 'random-access-memory'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { exportTree } from '../src/folder-export.js'

const cleanup: (() => Promise<unknown>)[] = []
afterEach(async () => {
  vi.restoreAllMocks()
  for (const fn of cleanup.splice(0).reverse()) await fn()
})

async function driveWith(files: number): Promise<Hyperdrive> {
  const drive = new Hyperdrive(() => new RAM())
  cleanup.push(() => drive.close())
  await drive.ready()
  for (let i = 0; i < files; i++) {
    await drive.writeFile(`/d${i % 3}/f${i}.txt`, Buffer.from(`file ${i} `.repeat(i + 1)))
  }
  return drive
}

async function tmpFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'export-test-'))
  cleanup.push(() => rm(folder, { recursive: true, force: true }))
  return folder
}

/**
 * Holds every file read until `want` reads have started (or a second passed); `together` is how
 * many had started when they were let go (a one-at-a-time export gets there with one).
 */
function holdReads(drive: Hyperdrive, want: number): { together: number } {
  const seen = { together: 0 }
  let started = 0
  let release: () => void = () => {}
  const gate = new Promise<void>((resolve) => {
    release = resolve
    setTimeout(resolve, 1000).unref()
  }).then(() => {
    seen.together = started
  })
  const read = drive.readFile.bind(drive)
  vi.spyOn(drive, 'readFile').mockImplementation(async (path, opts) => {
    if (++started >= want) release()
    await gate
    return read(path, opts)
  })
  return seen
}

describe('exportTree', () => {
  it('writes every file, several at once, and reports each', async () => {
    const drive = await driveWith(40)
    const folder = await tmpFolder()
    const reads = holdReads(drive, 4)
    const progress: number[] = []
    const result = await exportTree(drive, '/', folder, (done) => progress.push(done.files))
    expect(result.files).toBe(40)
    expect(result.written).toBe(40)
    expect(progress).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
    // Four reads were under way before any could finish.
    expect(reads.together).toBeGreaterThanOrEqual(4)
    for (let i = 0; i < 40; i++) {
      const path = `/d${i % 3}/f${i}.txt`
      expect(await readFile(join(folder, path), 'utf8')).toBe(`file ${i} `.repeat(i + 1))
      const mtime = (await drive.stat(path)).mtime.getTime()
      expect(Math.abs((await stat(join(folder, path))).mtimeMs - mtime)).toBeLessThan(1)
    }
    // Listing order, whatever order the writes finished in.
    const again = await exportTree(drive, '/', folder)
    expect(again.written).toBe(0)
    await drive.writeFile('/d1/f4.txt', Buffer.from('changed'))
    await drive.writeFile('/d0/f0.txt', Buffer.from('changed too'))
    const changed = await exportTree(drive, '/', folder)
    expect(changed.changedPaths).toEqual(['/d0/f0.txt', '/d1/f4.txt'])
  })

  it('stops at a file that fails and leaves no partial file behind', async () => {
    const drive = await driveWith(30)
    const folder = await tmpFolder()
    const read = drive.readFile.bind(drive)
    vi.spyOn(drive, 'readFile').mockImplementation(async (path, opts) => {
      if (path === '/d1/f7.txt') throw new Error('peer went away')
      return read(path, opts)
    })
    await expect(exportTree(drive, '/', folder)).rejects.toThrow('peer went away')
    const left = await readdir(folder, { recursive: true })
    expect(left.filter((name) => name.endsWith('.partial'))).toEqual([])
    expect(left).not.toContain(join('d1', 'f7.txt'))
  })

  it('a large file that fails mid-stream leaves no partial file behind', async () => {
    const drive = await driveWith(3)
    const big = Buffer.alloc(3 * 1024 * 1024, 7)
    await drive.writeFile('/big.bin', big)
    const folder = await tmpFolder()
    const open = drive.createReadStream.bind(drive)
    vi.spyOn(drive, 'createReadStream').mockImplementation((path, opts) => {
      const stream = open(path, opts)
      // Fails once the first bytes have been written to the partial file.
      stream.once('data', () => setImmediate(() => stream.destroy(new Error('peer went away'))))
      return stream
    })
    await expect(exportTree(drive, '/', folder, undefined, 1)).rejects.toThrow('peer went away')
    const left = await readdir(folder, { recursive: true })
    expect(left.filter((name) => name.endsWith('.partial'))).toEqual([])
    expect(left).not.toContain('big.bin')
  })
})
