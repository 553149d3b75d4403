// Byte range <-> block mapping: vector reads, block cutting at 524288, properties.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  InvalidArgumentError,
  MAX_BLOCK_SIZE,
  cutIntoBlocks,
  fileByteRange,
  locateByte,
} from '../src/index.js'
import { type BasicVectors, type WritesVectors, loadVectors } from './helpers/vectors.js'

const basic = loadVectors<BasicVectors>('hyperdrive-basic.json')
const writes = loadVectors<WritesVectors>('hyperdrive-writes.json')

const sizes: Record<string, number> = {
  '/hello.txt': 5,
  '/link-to-hello': 5,
  '/dir/rel-link': 100000,
  '/big.bin': 600000,
  '/dir/a.bin': 100000,
  '/dir/empty.txt': 0,
  '/mounted/inb.txt': 12,
  '/mounted/sub/deep.txt': 4,
  '/dir/overwrite.txt': 14,
}

describe('fileByteRange', () => {
  for (const read of basic.reads) {
    it(`gives the original's length for ${read.name} ${JSON.stringify(read.opts ?? {})}`, () => {
      const range = fileByteRange(sizes[read.name], read.opts)
      expect(range.length).toBe(read.length)
    })
  }

  it('clamps to the file and refuses negative or fractional numbers', () => {
    expect(fileByteRange(10, { start: 20 })).toEqual({ start: 10, length: 0 })
    expect(fileByteRange(10, { start: 4, end: 2 })).toEqual({ start: 4, length: 0 })
    expect(fileByteRange(10, { start: 4, end: 100 })).toEqual({ start: 4, length: 6 })
    expect(fileByteRange(10, { end: 3, length: 1 })).toEqual({ start: 0, length: 4 })
    expect(() => fileByteRange(10, { start: -1 })).toThrow(InvalidArgumentError)
    expect(() => fileByteRange(10, { length: 1.5 })).toThrow(InvalidArgumentError)
  })

  it('never leaves the file', () => {
    fc.assert(
      fc.property(
        fc.nat(10000),
        fc.record(
          { start: fc.nat(20000), end: fc.nat(20000), length: fc.nat(20000) },
          {
            requiredKeys: [],
          },
        ),
        (size, opts) => {
          const r = fileByteRange(size, opts)
          expect(r.start).toBeGreaterThanOrEqual(0)
          expect(r.start + r.length).toBeLessThanOrEqual(size)
        },
      ),
    )
  })
})

describe('cutIntoBlocks', () => {
  it('cuts like the original write stream', () => {
    const lens = (n: number) => cutIntoBlocks(Buffer.alloc(n)).map((b) => b.length)
    expect(lens(1300000)).toEqual(writes.results[0].contentBlocksAppended)
    expect(lens(0)).toEqual([0])
    expect(lens(600000)).toEqual([MAX_BLOCK_SIZE, 75712])
    expect(lens(MAX_BLOCK_SIZE)).toEqual([MAX_BLOCK_SIZE])
    const streamed = [1000, 2000, 600000, 10].flatMap(lens)
    expect(streamed).toEqual(writes.results[1].contentBlocksAppended)
  })

  it('keeps every byte in order', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 64 }), (d, max) => {
        const blocks = cutIntoBlocks(Buffer.from(d), max)
        expect(Buffer.concat(blocks).equals(Buffer.from(d))).toBe(true)
        for (const b of blocks) expect(b.length).toBeLessThanOrEqual(max)
      }),
    )
  })
})

describe('locateByte', () => {
  it('finds blocks of A content core (vector boundaries)', () => {
    const lengths = basic.contentBlocks.map((b) => b.length)
    // /big.bin starts at block 3, byte 100005; its byte 524280 is in block 3, 524288 in block 4.
    expect(locateByte(100005 + 524280, 3, 100005, lengths.slice(3, 5))).toEqual({
      index: 3,
      offset: 524280,
    })
    expect(locateByte(100005 + 524288, 3, 100005, lengths.slice(3, 5))).toEqual({
      index: 4,
      offset: 0,
    })
    expect(locateByte(100005 + 600000, 3, 100005, lengths.slice(3, 5))).toBe(null)
    // Zero-length blocks are skipped over.
    expect(locateByte(5, 0, 0, [5, 0, 3])).toEqual({ index: 2, offset: 0 })
  })
})
