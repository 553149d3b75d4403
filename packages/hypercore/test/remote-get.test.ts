// A get that waited for a peer's block resolves with the verified bytes as they arrived (no read
// back from storage), stored before it resolves; concurrent gets of one block get their own copies.
import { afterEach, describe, expect, it } from 'vitest'
import { Hypercore } from '../src/index.js'
import { memoryStorage } from './helpers.js'

const closers: (() => unknown)[] = []
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c()
})

async function sparsePair(blocks: Buffer[]): Promise<{ writer: Hypercore; reader: Hypercore }> {
  const writer = new Hypercore(memoryStorage())
  await writer.append(blocks)
  const reader = new Hypercore(memoryStorage(), writer.key, { sparse: true })
  await reader.ready()
  const a = writer.replicate(true, { live: true })
  const b = reader.replicate(false, { live: true })
  a.pipe(b).pipe(a)
  closers.push(
    () => writer.close(),
    () => reader.close(),
    () => {
      a.destroy()
      b.destroy()
    },
  )
  return { writer, reader }
}

describe('remote get', () => {
  it('resolves with the block, already stored, and concurrent gets do not share a buffer', async () => {
    const blocks = Array.from({ length: 64 }, (_, i) => Buffer.alloc(1024, i))
    const { reader } = await sparsePair(blocks)
    const [first, second] = (await Promise.all([reader.get(17), reader.get(17)])) as Buffer[]
    expect(first.equals(blocks[17])).toBe(true)
    expect(second.equals(blocks[17])).toBe(true)
    expect(first).not.toBe(second)
    first.fill(0)
    expect(second.equals(blocks[17])).toBe(true)
    expect(reader.has(17)).toBe(true)
    const again = (await reader.get(17, { wait: false })) as Buffer
    expect(again.equals(blocks[17])).toBe(true)
    const third = (await reader.get(40)) as Buffer
    expect(third.equals(blocks[40])).toBe(true)
  })
})
