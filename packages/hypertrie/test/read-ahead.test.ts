// Iterators over a local feed read windows of blocks in one range read: node blocks are split
// back apart by their field order and their seq, anything else falls back to single reads.
import { describe, expect, it } from 'vitest'
import { Hypertrie } from '../src/index.js'
import { encodeNodeMessage, splitNodeBlocks } from '../src/messages/node-message.js'
import { newCore } from './helpers/cores.js'

function block(seq: number, key: string, value: string | null, flags = 0): Buffer {
  return encodeNodeMessage({
    key,
    valueBuffer: value === null ? null : Buffer.from(value),
    trieBuffer: Buffer.from([0]),
    seq,
    flags,
  })
}

describe('splitNodeBlocks', () => {
  it('splits blocks read back to back, each naming its own seq', () => {
    const blocks = [block(7, 'a/b', 'x'), block(8, 'a', null), block(9, '', null, 256)]
    const parts = splitNodeBlocks(Buffer.concat(blocks), 7, 3)
    expect(parts?.map((p) => Buffer.from(p).toString('hex'))).toEqual(
      blocks.map((b) => b.toString('hex')),
    )
  })

  it('refuses a wrong count, a seq that is not the index, or bytes that do not parse', () => {
    const blocks = [block(7, 'a/b', 'x'), block(8, 'a', null)]
    expect(splitNodeBlocks(Buffer.concat(blocks), 7, 3)).toBeNull()
    expect(splitNodeBlocks(Buffer.concat(blocks), 6, 2)).toBeNull()
    expect(splitNodeBlocks(Buffer.concat([blocks[0], blocks[0]]), 7, 2)).toBeNull()
    expect(splitNodeBlocks(Buffer.from([0x0a, 0x05, 0x61]), 7, 1)).toBeNull()
  })
})

describe('iterator read-ahead', () => {
  it('lists a big prefix from a cold trie with few storage reads and the same result', async () => {
    const feed = newCore()
    const writer = new Hypertrie(null, { feed })
    await writer.ready()
    const count = 3000
    for (let s = 0; s < count; s += 500) {
      await writer.batch(
        Array.from({ length: 500 }, (_, k) => ({
          key: `big/file${s + k}`,
          value: Buffer.from(`v${s + k}`),
        })),
      )
    }
    const expected = (await writer.list('big', { recursive: false })).map((n) => n.key)

    // a fresh trie on the same core starts with an empty node cache
    let gets = 0
    let ranges = 0
    const counted = Object.assign(Object.create(feed) as typeof feed, {
      get: (i: number, o?: object) => {
        gets++
        return feed.get(i, o)
      },
      getRange: (a: number, b: number) => {
        ranges++
        return feed.getRange(a, b)
      },
    })
    const cold = new Hypertrie(null, { feed: counted, extension: false })
    await cold.ready()
    const keys: string[] = []
    for await (const n of cold.iterator('big', { recursive: false })) keys.push(n.key)
    expect(keys).toEqual(expected)
    expect(keys.length).toBe(count)
    expect(ranges).toBeGreaterThan(0)
    expect(gets + ranges).toBeLessThan(count / 4)
    await writer.close()
  })
})
