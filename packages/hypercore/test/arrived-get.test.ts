// A get that waits for a peer's block answers with the bytes that arrived (verified), not by
// reading them back from storage; each waiting get owns its copy.
import RAM from 'random-access-memory'
import { afterEach, describe, expect, it } from 'vitest'
import { Hypercore, type RandomAccessStorage } from '../src/index.js'

const closers: (() => unknown)[] = []
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c()
})

/** In-memory files; counts reads of the data file. */
function countingStorage() {
  const reads = { data: 0 }
  const storage = (name: string): RandomAccessStorage => {
    const file = new RAM()
    if (name !== 'data') return file
    const read = file.read.bind(file)
    file.read = (...args: Parameters<RAM['read']>) => {
      reads.data++
      return read(...args)
    }
    return file
  }
  return { storage, reads }
}

async function replicated(blocks: Buffer[]) {
  const writer = new Hypercore(() => new RAM())
  closers.push(() => writer.close())
  await writer.append(blocks)
  const { storage, reads } = countingStorage()
  const reader = new Hypercore(storage, writer.key, { sparse: true })
  closers.push(() => reader.close())
  const a = writer.replicate(true)
  const b = reader.replicate(false)
  a.pipe(b).pipe(a)
  closers.push(() => {
    a.destroy()
    b.destroy()
  })
  await reader.update({ ifAvailable: true })
  return { reader, reads }
}

describe('get of a block a peer sends', () => {
  const blocks = Array.from({ length: 300 }, (_, i) => Buffer.alloc(200 + i, i % 251))

  it('answers with the verified bytes without reading the data file', async () => {
    const { reader, reads } = await replicated(blocks)
    for (const i of [7, 150, 299, 8]) expect(await reader.get(i)).toEqual(blocks[i])
    expect(reads.data).toBe(0)
    // Stored all the same: a second get reads it back.
    expect(await reader.get(150)).toEqual(blocks[150])
    expect(reads.data).toBeGreaterThan(0)
  })

  it('gives each waiting get its own copy, not a view of the frame it came in', async () => {
    const { reader } = await replicated(blocks)
    const received: Buffer[] = []
    reader.once('download', (_index: number, data: Buffer) => received.push(data))
    const [x, y] = (await Promise.all([reader.get(42), reader.get(42)])) as Buffer[]
    expect(x).toEqual(blocks[42])
    expect(y).toEqual(blocks[42])
    expect(received).toHaveLength(1)
    expect(x.buffer).not.toBe(received[0].buffer)
    expect(y.buffer).not.toBe(received[0].buffer)
    x.fill(0)
    expect(y).toEqual(blocks[42])
    expect(await reader.get(42)).toEqual(blocks[42])
  })
})
