// Bit indexes past 2^31 (a core of a billion blocks, or a hostile peer's request): `n >> 3`
// wrapped them around, so bit 2^40 read as bit 0 and a proof for a block past the end looped.
import { describe, expect, it } from 'vitest'
import { byteOf } from '../src/bit-index.js'
import { Bitfield } from '../src/bitfield.js'
import { MemoryTreeBits, SparseTreeBits } from '../src/tree-index.js'

const FAR = [2 ** 31, 2 ** 32 + 3, 2 ** 40, 2 ** 52 + 1, Number.MAX_SAFE_INTEGER]

describe('bit indexes past 2^31', () => {
  it('byteOf is the exact byte for every safe integer', () => {
    for (const n of [0, 7, 8, 2 ** 31 - 1, ...FAR]) expect(byteOf(n)).toBe(Math.floor(n / 8))
  })

  it('a bitfield does not read bits it never set out there as its first ones', () => {
    const bitfield = new Bitfield()
    bitfield.set(0, true)
    bitfield.setTreeBit(0, true)
    for (const n of FAR) {
      expect(bitfield.get(n)).toBe(false)
      expect(bitfield.getTree(n)).toBe(false)
    }
  })

  it('sets and reads data and tree bits of a core past a billion blocks', () => {
    const bitfield = new Bitfield()
    const block = 2 ** 31 + 5
    bitfield.set(block, true)
    bitfield.setTreeBit(2 * block, true)
    expect([bitfield.get(block), bitfield.get(5), bitfield.get(block + 1)]).toEqual([
      true,
      false,
      false,
    ])
    expect([bitfield.getTree(2 * block), bitfield.getTree(10)]).toEqual([true, false])
  })

  it('tree bit sets keep far nodes apart from near ones', () => {
    // (a MemoryTreeBits is a dense array: only read far out, not written)
    const dense = new MemoryTreeBits()
    dense.setTreeBit(3, true)
    for (const n of FAR) expect(dense.getTree(n + 3)).toBe(false)
    const sparse = new SparseTreeBits()
    sparse.setTreeBit(3, true)
    sparse.setTreeBit(2 ** 33 + 1, true)
    expect([sparse.getTree(2 ** 33 + 1), sparse.getTree(1), sparse.getTree(2 ** 40 + 3)]).toEqual([
      true,
      false,
      false,
    ])
    expect(sparse.treeLength).toBe(2 ** 33 + 8)
  })
})
