// A sparse replica reading 1 MiB from the middle of a 64 MiB file moves only the blocks that
// cover the range (plus proofs) over the wire, not the rest of the file.
import { afterEach, describe, expect, it } from 'vitest'
import { Hyperdrive } from '../../src/index.js'
import { memoryStorage } from '../helpers/hyperstack-backend.js'
import { connect, within } from '../helpers/wire.js'

const MiB = 1024 * 1024
const BLOCK = 524288
const FILE_SIZE = 64 * MiB
/** Proofs, Have/Request framing and the like for a handful of blocks (generous). */
const PROOF_ALLOWANCE = 32 * 1024

const cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn()
})

function byteAt(i: number): number {
  return (i * 31 + 7) & 255
}

describe('sparse range reads', () => {
  it('moves at most the covering blocks plus proofs for a 1 MiB range of a 64 MiB file', async () => {
    const writer = new Hyperdrive(memoryStorage())
    cleanup.push(() => writer.close())
    await writer.ready()
    // byteAt has period 256, so one 256-byte unit repeated is the whole file.
    const unit = Buffer.alloc(256)
    for (let i = 0; i < 256; i++) unit[i] = byteAt(i)
    const file = Buffer.alloc(FILE_SIZE, unit)
    expect(file[FILE_SIZE - 1]).toBe(byteAt(FILE_SIZE - 1))
    await writer.writeFile('/big.bin', file)

    const reader = new Hyperdrive(memoryStorage(), writer.key)
    cleanup.push(() => reader.close())
    await reader.ready()
    const wire = connect(writer.replicate(true), reader.replicate(false))
    cleanup.push(() => wire.close())

    const st = await within(reader.stat('/big.bin'), 10000, 'stat')
    expect(st.size).toBe(FILE_SIZE)
    expect(st.blocks).toBe(FILE_SIZE / BLOCK)

    const ranges = [
      { start: 32 * MiB, length: MiB, covering: 2 },
      { start: 40 * MiB + 1000, length: MiB, covering: 3 },
    ]
    for (const r of ranges) {
      const before = wire.aToB
      const data = (await within(
        reader.readFile('/big.bin', { start: r.start, length: r.length }),
        10000,
        'range',
      )) as Buffer
      const moved = wire.aToB - before
      expect(data.length).toBe(r.length)
      expect(data.equals(file.subarray(r.start, r.start + r.length))).toBe(true)
      expect(moved).toBeGreaterThanOrEqual(r.length)
      expect(moved).toBeLessThanOrEqual(r.covering * BLOCK + PROOF_ALLOWANCE)
    }
    const content = (await reader.getContent())!
    const local = Array.from({ length: st.blocks }, (_, i) => st.offset + i).filter((i) =>
      content.has(i),
    )
    expect(local.length).toBeLessThanOrEqual(5)
  })

  it('reads a range of a one-block file (no seek) with the right bytes', async () => {
    const writer = new Hyperdrive(memoryStorage())
    cleanup.push(() => writer.close())
    await writer.ready()
    const small = Buffer.from(Array.from({ length: 5000 }, (_, i) => byteAt(i)))
    await writer.writeFile('/small.bin', small)
    const reader = new Hyperdrive(memoryStorage(), writer.key, { sparse: true })
    cleanup.push(() => reader.close())
    await reader.ready()
    const wire = connect(writer.replicate(true), reader.replicate(false))
    cleanup.push(() => wire.close())
    expect((await within(reader.stat('/small.bin'), 10000, 'stat')).blocks).toBe(1)
    const part = (await within(
      reader.readFile('/small.bin', { start: 1000, length: 300 }),
      10000,
      'range',
    )) as Buffer
    expect(part.equals(small.subarray(1000, 1300))).toBe(true)
    const tail = (await within(
      reader.readFile('/small.bin', { start: 4990 }),
      10000,
      'tail',
    )) as Buffer
    expect(tail.equals(small.subarray(4990))).toBe(true)
  })

  it('a replica fetches the header and opens the content core after ready, before any read', async () => {
    const writer = new Hyperdrive(memoryStorage())
    cleanup.push(() => writer.close())
    await writer.ready()
    await writer.writeFile('/a.txt', 'hello')
    const reader = new Hyperdrive(memoryStorage(), writer.key)
    cleanup.push(() => reader.close())
    await reader.ready()
    const metadata = reader.metadata!
    expect(metadata.has(0)).toBe(false)
    const header = new Promise<void>((resolve) => {
      const ondownload = (index: number): void => {
        if (index !== 0) return
        metadata.removeListener('download', ondownload)
        resolve()
      }
      metadata.on('download', ondownload)
    })
    const wire = connect(writer.replicate(true), reader.replicate(false))
    cleanup.push(() => wire.close())
    // Nothing is read: the header arrives only because the drive asked for it on ready.
    await within(header, 10000, 'header block')
    const content = await within(reader.getContent(), 10000, 'content core')
    expect(content?.key).toEqual((await writer.getContent())?.key)
  })
})
