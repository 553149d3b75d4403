// The bitfield of hypercore@9: pages of data bits, tree bits and a lazily kept index, written whole.

import { byteOf } from './bit-index.js'
import { flat } from './commonjs.js'

export const DEFAULT_PAGE_SIZE = 3584
const DATA_AREA = 1024
const TREE_AREA = 2048
const INDEX_OFFSET = DATA_AREA + TREE_AREA

/** One page of the bitfield file; `updated` marks it for the next write. */
export interface BitfieldPage {
  index: number
  buffer: Buffer
  updated: boolean
}

// An index byte summarises four data bytes (or two child index bytes) as four 2-bit values.
const MAP_PARENT_RIGHT = new Uint8Array(256)
const MAP_PARENT_LEFT = new Uint8Array(256)
const INDEX_UPDATE_MASK = [63, 207, 243, 252]
const ONES = new Uint8Array(256)
for (let i = 0; i < 256; i++) {
  const hi = i >> 4
  const lo = i & 15
  MAP_PARENT_RIGHT[i] =
    ((hi === 15 ? 3 : hi === 0 ? 0 : 1) << 2) | (lo === 15 ? 3 : lo === 0 ? 0 : 1)
  MAP_PARENT_LEFT[i] = MAP_PARENT_RIGHT[i] << 4
  let n = 0
  for (let b = i; b; b >>= 1) n += b & 1
  ONES[i] = n
}

function indexValue(byte: number): number {
  return byte === 255 ? 192 : byte === 0 ? 0 : 64
}

function isLeft(pos: number): boolean {
  return (flat.offset(pos) & 1) === 0
}

/**
 * Mirrors hypercore@9's bitfield (memory-pager + three sparse-bitfield areas), including the
 * exact lazy index maintenance, so a writer's `bitfield` file is byte-identical to the original's.
 */
export class Bitfield {
  readonly pageSize: number
  readonly indexSize: number
  /** Pages known (loaded or allocated): memory-pager's `length`. */
  pagesLength = 0
  /** Byte lengths of each area as sparse-bitfield tracks them. */
  dataByteLength: number
  treeByteLength: number
  indexByteLength: number
  private readonly pages: (BitfieldPage | undefined)[] = []
  private updates: BitfieldPage[] = []

  constructor(pageSize = DEFAULT_PAGE_SIZE, loaded: readonly Buffer[] = []) {
    this.pageSize = pageSize
    this.indexSize = pageSize - INDEX_OFFSET
    for (let i = 0; i < loaded.length; i++) {
      let buf = loaded[i]
      if (buf.length !== pageSize) {
        const padded = Buffer.alloc(pageSize)
        buf.copy(padded, 0, 0, Math.min(buf.length, pageSize))
        buf = padded
      }
      if (!isZero(buf)) this.pages[i] = { index: i, buffer: buf, updated: false }
    }
    this.pagesLength = loaded.length
    this.dataByteLength = this.pagesLength * DATA_AREA
    this.treeByteLength = this.pagesLength * TREE_AREA
    this.indexByteLength = this.pagesLength * this.indexSize
  }

  /** Number of data bits covered (sparse-bitfield `length`). */
  get length(): number {
    return 8 * this.dataByteLength
  }

  /** Number of tree bits covered. */
  get treeLength(): number {
    return 8 * this.treeByteLength
  }

  private page(index: number): BitfieldPage {
    let page = this.pages[index]
    if (!page) {
      page = { index, buffer: Buffer.alloc(this.pageSize), updated: false }
      this.pages[index] = page
      if (index >= this.pagesLength) this.pagesLength = index + 1
    }
    return page
  }

  private markUpdated(page: BitfieldPage): void {
    if (page.updated) return
    page.updated = true
    this.updates.push(page)
  }

  // --- data area ---

  getDataByte(i: number): number {
    const p = this.pages[Math.floor(i / DATA_AREA)]
    return p ? p.buffer[i % DATA_AREA] : 0
  }

  private setDataByte(i: number, b: number): boolean {
    const page = this.page(Math.floor(i / DATA_AREA))
    const o = i % DATA_AREA
    if (page.buffer[o] === b) return false
    page.buffer[o] = b
    if (i >= this.dataByteLength) this.dataByteLength = i + 1
    this.markUpdated(page)
    return true
  }

  /** Data bit `i`: block `i` is stored locally. */
  get(i: number): boolean {
    return (this.getDataByte(byteOf(i)) & (128 >> (i & 7))) !== 0
  }

  /** Sets data bit `i`; returns false when it already had that value. */
  set(i: number, value: boolean): boolean {
    const o = i & 7
    const j = (i - o) / 8
    const old = this.getDataByte(j)
    const v = value ? old | (128 >> o) : old & ~(128 >> o) & 255
    if (!this.setDataByte(j, v)) return false
    this.setIndex(j, v)
    return true
  }

  /** Number of set data bits in [start, end). Expands the index like the original does. */
  total(start = 0, end = this.length): number {
    if (end > this.length) this.expand(end)
    let count = 0
    let i = start
    while (i < end && (i & 7) !== 0) count += this.get(i++) ? 1 : 0
    while (i + 8 <= end) {
      count += ONES[this.getDataByte(byteOf(i))]
      i += 8
    }
    while (i < end) count += this.get(i++) ? 1 : 0
    return count
  }

  // --- tree area ---

  getTree(n: number): boolean {
    const byte = byteOf(n)
    const p = this.pages[Math.floor(byte / TREE_AREA)]
    return p ? (p.buffer[DATA_AREA + (byte % TREE_AREA)] & (128 >> (n & 7))) !== 0 : false
  }

  /** Sets or clears tree bit `n`; returns false when unchanged. */
  setTreeBit(n: number, value: boolean): boolean {
    const byte = byteOf(n)
    const page = this.page(Math.floor(byte / TREE_AREA))
    const o = DATA_AREA + (byte % TREE_AREA)
    const old = page.buffer[o]
    const v = value ? old | (128 >> (n & 7)) : old & ~(128 >> (n & 7)) & 255
    if (old === v) return false
    page.buffer[o] = v
    if (byte >= this.treeByteLength) this.treeByteLength = byte + 1
    this.markUpdated(page)
    return true
  }

  // --- index area (hypercore@9's lazy search accelerator) ---

  private getIndexByte(i: number): number {
    const p = this.pages[Math.floor(i / this.indexSize)]
    return p ? p.buffer[INDEX_OFFSET + (i % this.indexSize)] : 0
  }

  private setIndexByte(i: number, b: number): boolean {
    const page = this.page(Math.floor(i / this.indexSize))
    const o = INDEX_OFFSET + (i % this.indexSize)
    if (page.buffer[o] === b) return false
    page.buffer[o] = b
    if (i >= this.indexByteLength) this.indexByteLength = i + 1
    this.markUpdated(page)
    return true
  }

  private combine(pos: number, byte: number): number {
    const sib = this.getIndexByte(flat.sibling(pos))
    return isLeft(pos)
      ? MAP_PARENT_LEFT[byte] | MAP_PARENT_RIGHT[sib]
      : MAP_PARENT_RIGHT[byte] | MAP_PARENT_LEFT[sib]
  }

  private setIndex(dataByte: number, value: number): void {
    const o = dataByte & 3
    let pos = 2 * ((dataByte - o) / 4)
    let byte = (this.getIndexByte(pos) & INDEX_UPDATE_MASK[o]) | (indexValue(value) >> (2 * o))
    const lenBefore = 8 * this.indexByteLength
    // The limit is taken before the loop, as the original does: positions in pages allocated
    // during this update are not propagated into.
    const limit = this.pagesLength * this.indexSize
    while (pos < limit && this.setIndexByte(pos, byte)) {
      byte = this.combine(pos, byte)
      pos = flat.parent(pos)
    }
    if (8 * this.indexByteLength !== lenBefore) this.expand(lenBefore)
  }

  /** The original's `_expand(len)`: `len` is a bit count used as a leaf count (kept as is). */
  expand(len: number): void {
    for (const root of flat.fullRoots(2 * len)) {
      let pos = root
      let byte = this.getIndexByte(pos)
      for (;;) {
        byte = this.combine(pos, byte)
        pos = flat.parent(pos)
        if (pos >= this.indexByteLength) break
        if (!this.setIndexByte(pos, byte)) break
      }
    }
  }

  // --- persistence ---

  /** Pages changed since the last call, in the order the original writes them (last first). */
  takeUpdates(): BitfieldPage[] {
    const list = this.updates
    this.updates = []
    for (const p of list) p.updated = false
    list.reverse()
    return list
  }

  hasUpdates(): boolean {
    return this.updates.length > 0
  }

  /** The data bits of [start, start + length) packed MSB-first (for Have messages). */
  dataBits(start: number, length: number): Buffer {
    const out = Buffer.alloc(Math.ceil(length / 8))
    if ((start & 7) === 0) {
      const first = byteOf(start)
      for (let i = 0; i < out.length; i++) out[i] = this.getDataByte(first + i)
      const rem = length & 7
      if (rem) out[out.length - 1] &= (0xff00 >> rem) & 0xff
      return out
    }
    for (let i = 0; i < length; i++) if (this.get(start + i)) out[i >> 3] |= 128 >> (i & 7)
    return out
  }

  /** First block index in [start, end) whose data bit equals `value`, or -1. */
  indexOf(value: boolean, start: number, end: number): number {
    let i = start
    const skip = value ? 0 : 255
    while (i < end) {
      if ((i & 7) === 0 && i + 8 <= end && this.getDataByte(i >> 3) === skip) {
        i += 8
        continue
      }
      if (this.get(i) === value) return i
      i++
    }
    return -1
  }
}

function isZero(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) if (buf[i] !== 0) return false
  return true
}
