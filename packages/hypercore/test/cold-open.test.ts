// Reopening a stored core to read it: the file headers already there are not rewritten, and
// concurrent lookups that miss the same tree nodes or offsets read them from storage once.
import type { RandomAccessStorage } from 'random-access-memory'
import { afterEach, describe, expect, it } from 'vitest'
import { Hypercore } from '../src/index.js'
import { memoryStorage } from './helpers.js'

const closers: (() => unknown)[] = []
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c()
})

interface Counts {
  writes: Map<string, number[]>
  reads: Map<string, string[]>
}

/** Wraps a storage function so every read and write of each file is recorded. */
function counted(storage: (name: string) => RandomAccessStorage): {
  storage: (name: string) => RandomAccessStorage
  counts: Counts
} {
  const counts: Counts = { writes: new Map(), reads: new Map() }
  return {
    counts,
    storage: (name) => {
      const file = storage(name)
      const write = file.write.bind(file)
      const read = file.read.bind(file)
      file.write = (offset, data, cb) => {
        counts.writes.set(name, [...(counts.writes.get(name) ?? []), offset])
        return write(offset, data, cb)
      }
      file.read = (offset, size, cb) => {
        counts.reads.set(name, [...(counts.reads.get(name) ?? []), `${offset}+${size}`])
        return read(offset, size, cb)
      }
      return file
    },
  }
}

async function stored(blocks: number): Promise<(name: string) => RandomAccessStorage> {
  const storage = memoryStorage()
  const core = new Hypercore(storage)
  const batch: string[] = []
  for (let i = 0; i < blocks; i++) batch.push(`block ${i}`)
  await core.append(batch)
  await core.close()
  return storage
}

describe('cold open', () => {
  it('writes no header that is already stored', async () => {
    const { storage, counts } = counted(await stored(100))
    const core = new Hypercore(storage)
    closers.push(() => core.close())
    await core.ready()
    expect(((await core.get(42)) as Buffer).toString()).toBe('block 42')
    for (const name of ['tree', 'signatures', 'bitfield']) {
      expect(counts.writes.get(name) ?? [], name).not.toContain(0)
    }
  })

  it('writes the headers of a new core', async () => {
    const { storage, counts } = counted(memoryStorage())
    const core = new Hypercore(storage)
    closers.push(() => core.close())
    await core.ready()
    for (const name of ['tree', 'signatures', 'bitfield']) {
      expect(counts.writes.get(name) ?? [], name).toContain(0)
    }
  })

  it('concurrent lookups that miss the same nodes and offsets read each once', async () => {
    const { storage, counts } = counted(await stored(5000))
    const core = new Hypercore(storage)
    closers.push(() => core.close())
    await core.ready()
    counts.reads.clear()
    // Two rounds of neighbours in one 512-block span, all at once: the second miss in the span
    // learns its offsets, the rest find them or wait for that one read.
    const indexes = [2100, 2101, 2102, 2103, 2104, 2105, 2106, 2107]
    const blocks = await Promise.all(indexes.map((i) => core.get(i)))
    expect(blocks.map((b) => (b as Buffer).toString())).toEqual(indexes.map((i) => `block ${i}`))
    const treeReads = counts.reads.get('tree') ?? []
    expect(new Set(treeReads).size).toBe(treeReads.length)
  })
})
