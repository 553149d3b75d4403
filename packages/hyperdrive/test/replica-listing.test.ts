// A sparse replica listing a whole drive with stats: every entry's lookup is answered with
// pushed blocks, many at once. Concurrent answers must each be verifiable on their own, whatever
// order they reach the replica in (a batch planned against another's unsent nodes ended the
// channel and left the listing waiting forever).
import { describe, expect, it, vi } from 'vitest'
import { Hyperdrive } from '../src/index.js'
import { drivesClosedAfterEach } from './helpers/drives.js'
import { sparseReplica } from './helpers/replicas.js'
import { within } from './helpers/wire.js'

const { cleanup, newDrive: newWriter } = drivesClosedAfterEach()

describe('replica listing', () => {
  it('lists 300 files recursively with stats and reads each, from a sparse replica', async () => {
    const writer = await newWriter()
    for (let i = 0; i < 300; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, k) =>
          writer.writeFile(`/d${(i + k) % 10}/f${i + k}`, Buffer.alloc(900, i + k)),
        ),
      )
    }
    const reader = await sparseReplica(writer, (close) => cleanup.push(close))
    const errors: Error[] = []
    reader.metadata?.on('peer-error', (err: Error) => errors.push(err))
    const entries = await within(
      reader.readdir('/', { recursive: true, includeStats: true }),
      10_000,
      'listing',
    )
    const files = entries.filter((e) => typeof e !== 'string' && e.stat.isFile())
    expect(files).toHaveLength(300)
    for (const e of files.slice(0, 30)) {
      if (typeof e === 'string') continue
      const n = Number(e.path.split('/f')[1])
      const data = (await within(reader.readFile(e.path), 5000, e.path)) as Buffer
      expect(data.equals(Buffer.alloc(900, n))).toBe(true)
    }
    expect(errors).toEqual([])
  })

  it('a folder listed on a sparse replica is read without reading its entries back', async () => {
    const writer = await newWriter()
    for (let i = 0; i < 1000; i += 100) {
      await Promise.all(
        Array.from({ length: 100 }, (_, k) =>
          writer.writeFile(`/d${k % 10}/f${i + k}`, Buffer.from(`f${i + k}`)),
        ),
      )
    }
    const reader = await sparseReplica(writer, (close) => cleanup.push(close))
    const metadata = reader.metadata
    if (!metadata) throw new Error('the replica has no metadata core')
    // Reads of metadata blocks the replica already stores: blocks that came with an answer and
    // were stored, then read back one by one.
    let readBack = 0
    const get = metadata.get.bind(metadata)
    vi.spyOn(metadata, 'get').mockImplementation((index, opts) => {
      if (metadata.has(index) === true) readBack++
      return get(index, opts)
    })
    // As clone does: list a folder, then read what it holds.
    const names = await within(reader.readdir('/d1'), 10_000, 'listing')
    expect(names).toHaveLength(100)
    for (const name of names) {
      const data = (await within(reader.readFile(`/d1/${name}`), 5000, name)) as Buffer
      expect(data.toString()).toBe(name)
    }
    expect(readBack).toBe(0)
  })

  it('64 concurrent reads of a fresh replica raise no listener-leak warning', async () => {
    const writer = await newWriter()
    await Promise.all(
      Array.from({ length: 64 }, (_, i) => writer.writeFile(`/f${i}`, Buffer.alloc(2000, i))),
    )
    const warnings: string[] = []
    const onwarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`)
    process.on('warning', onwarning)
    cleanup.push(() => process.off('warning', onwarning))
    const reader = await sparseReplica(writer, (close) => cleanup.push(close))
    const files = await within(
      Promise.all(Array.from({ length: 64 }, (_, i) => reader.readFile(`/f${i}`))),
      10_000,
      'reads',
    )
    expect(files.every((data, i) => Buffer.alloc(2000, i).equals(data as Buffer))).toBe(true)
    // Warnings are emitted on a later tick.
    await new Promise((resolve) => setImmediate(resolve))
    expect(warnings).toEqual([])
  })
})
