// Finding where a block lies in a big core: a random reader of a core larger than the offset
// pages hold reads the block's roots and leaf (a few small reads), not the 40 KiB of leaves a
// smaller core's reader learns a whole span from (there the pages replace each other first), and
// keeps no page for it (a repeat reads the leaf again); one moving through it keeps its offsets.
import type { RandomAccessStorage } from 'random-access-memory'
import { describe, expect, it } from 'vitest'
import { BlockOffsets } from '../src/block-offsets.js'
import { Hypercore } from '../src/index.js'
import { memoryStorage } from './helpers.js'

/** A span's leaves and parents: 2 * 512 - 1 tree entries of 40 bytes. */
const SPAN_READ = (2 * 512 - 1) * 40

/** Storage whose tree file records the size of every read while `counting` is on. */
function countingStorage(): {
  storage: (name: string) => RandomAccessStorage
  treeReads: number[]
  counting: { on: boolean }
} {
  const base = memoryStorage()
  const treeReads: number[] = []
  const counting = { on: false }
  const storage = (name: string) => {
    const file = base(name)
    if (name.endsWith('tree')) {
      const read = file.read.bind(file)
      file.read = (offset, size, cb) => {
        if (counting.on) treeReads.push(size)
        return read(offset, size, cb)
      }
    }
    return file
  }
  return { storage, treeReads, counting }
}

/** 200 random blocks of a core of `length` blocks. */
function randomIndexes(length: number): number[] {
  const indexes: number[] = []
  let x = 7
  for (let i = 0; i < 200; i++) {
    x = (x * 48271) % 2147483647
    indexes.push(x % length)
  }
  return indexes
}

type Counted = ReturnType<typeof countingStorage>

/** Cores of `length` one-byte blocks, each written once and opened by every test that wants it. */
const written = new Map<number, Promise<Counted>>()

function coreOf(length: number): Promise<Counted> {
  let core = written.get(length)
  if (core === undefined) {
    core = (async () => {
      const counted = countingStorage()
      const writer = new Hypercore(counted.storage)
      await writer.ready()
      const batch = Array.from({ length: 8192 }, (_, i) => Buffer.from([i & 0xff]))
      for (let n = 0; n < length; n += batch.length) {
        await writer.append(batch.slice(0, length - n))
      }
      await writer.close()
      return counted
    })()
    written.set(length, core)
  }
  return core
}

/** Tree reads of a fresh reader's gets of `indexes`, then of the same gets again. */
async function treeReads(
  length: number,
  pick: (length: number) => number[] = randomIndexes,
): Promise<{ first: number[]; repeat: number[] }> {
  const { storage, treeReads, counting } = await coreOf(length)
  // A fresh open knows no offsets.
  const reader = new Hypercore(storage)
  await reader.ready()
  expect(reader.length).toBe(length)
  const indexes = pick(length)
  treeReads.length = 0
  counting.on = true
  for (const index of indexes) {
    expect(await reader.get(index)).toEqual(Buffer.from([(index % 8192) & 0xff]))
  }
  const first = treeReads.splice(0)
  for (const index of indexes) await reader.get(index)
  counting.on = false
  await reader.close()
  return { first, repeat: treeReads.splice(0) }
}

describe('block offsets at scale', () => {
  it('a random reader of a core past the pages reads roots and leaves, never a span, keeps no page', async () => {
    const { first, repeat } = await treeReads(BlockOffsets.CAPACITY + 8192)
    expect(first.length).toBeGreaterThan(0)
    expect(Math.max(...first)).toBeLessThan(SPAN_READ)
    // No page kept: each repeat reads its leaf again (the roots are cached).
    expect(repeat.length).toBeGreaterThanOrEqual(200)
    expect(Math.max(...repeat)).toBeLessThan(SPAN_READ)
  }, 60_000)

  it('a reader moving through a core past the pages keeps the offsets it finds', async () => {
    const start = BlockOffsets.CAPACITY - 100
    const { first, repeat } = await treeReads(BlockOffsets.CAPACITY + 8192, () =>
      Array.from({ length: 600 }, (_, i) => start + i),
    )
    // Block by block from the previous end: leaves come in runs, far fewer reads than blocks.
    expect(first.length).toBeLessThan(600 / 4)
    // Kept, all but the first block's (found before the reader was seen moving): the repeat
    // reads only the tree that locates that one.
    expect(repeat.length).toBeLessThan(20)
  }, 60_000)

  it('a random reader of a smaller core learns spans of leaves', async () => {
    const { first, repeat } = await treeReads(64 * 1024)
    expect(first.some((size) => size === SPAN_READ)).toBe(true)
    // Every offset found is kept: repeats read no tree.
    expect(repeat).toEqual([])
  }, 60_000)
})
