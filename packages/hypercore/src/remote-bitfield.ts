// What a peer has: a sparse bitfield of blocks, paged so hostile ranges cannot exhaust memory.
const PAGE_BITS = 8192
const PAGE_BYTES = PAGE_BITS / 8
const FULL = new Uint8Array(PAGE_BYTES).fill(255)

/** Blocks beyond this index are refused (2^40: far past any real core). */
export const MAX_REMOTE_INDEX = 2 ** 40

export class RemoteBitfield {
  private readonly pages = new Map<number, Uint8Array>()

  get(i: number): boolean {
    const page = this.pages.get(Math.floor(i / PAGE_BITS))
    if (!page) return false
    const bit = i % PAGE_BITS
    return (page[bit >> 3] & (128 >> (bit & 7))) !== 0
  }

  private writable(p: number): Uint8Array {
    let page = this.pages.get(p)
    if (!page || page === FULL) {
      const copy = new Uint8Array(PAGE_BYTES)
      if (page === FULL) copy.fill(255)
      page = copy
      this.pages.set(p, page)
    }
    return page
  }

  set(i: number, value: boolean): void {
    const p = Math.floor(i / PAGE_BITS)
    if (!value && !this.pages.has(p)) return
    const page = this.writable(p)
    const bit = i % PAGE_BITS
    if (value) page[bit >> 3] |= 128 >> (bit & 7)
    else page[bit >> 3] &= ~(128 >> (bit & 7))
  }

  /** Sets or clears [start, start + length), whole pages at once. */
  setRange(start: number, length: number, value: boolean): void {
    let i = start
    const end = start + length
    while (i < end) {
      if (i % PAGE_BITS === 0 && i + PAGE_BITS <= end) {
        const p = i / PAGE_BITS
        if (value) this.pages.set(p, FULL)
        else this.pages.delete(p)
        i += PAGE_BITS
        continue
      }
      this.set(i++, value)
    }
  }

  /** ORs in an MSB-first bitfield starting at block `start`; returns the highest set index or -1. */
  fill(bits: Uint8Array, start: number): number {
    // a have's bitfield starts on a byte boundary (it names whole bytes of blocks): OR whole
    // bytes into the pages (a 4096-block have is 512 writes, not 4096 bit sets)
    if (start % 8 !== 0) return this.fillBits(bits, start)
    let last = -1
    let pageIndex = -1
    let page: Uint8Array = FULL
    for (let byte = 0; byte < bits.length; byte++) {
      const b = bits[byte]
      if (!b) continue
      const i = start + 8 * byte
      const p = Math.floor(i / PAGE_BITS)
      if (p !== pageIndex) {
        page = this.writable(p)
        pageIndex = p
      }
      page[(i % PAGE_BITS) >> 3] |= b
      // the lowest-order set bit is the highest index (MSB first)
      last = i - 24 + Math.clz32(b & -b)
    }
    return last
  }

  private fillBits(bits: Uint8Array, start: number): number {
    let last = -1
    for (let byte = 0; byte < bits.length; byte++) {
      const b = bits[byte]
      if (!b) continue
      for (let k = 0; k < 8; k++) {
        if (b & (128 >> k)) {
          const i = start + 8 * byte + k
          this.set(i, true)
          last = i
        }
      }
    }
    return last
  }

  /** First index in [start, end) that is set here and passes `want`, or -1. */
  next(start: number, end: number, want: (i: number) => boolean): number {
    let i = start
    while (i < end) {
      const p = Math.floor(i / PAGE_BITS)
      const page = this.pages.get(p)
      if (!page) {
        i = (p + 1) * PAGE_BITS
        continue
      }
      const bit = i % PAGE_BITS
      if (page !== FULL && page[bit >> 3] === 0 && (bit & 7) === 0) {
        i += 8
        continue
      }
      if (page[bit >> 3] & (128 >> (bit & 7)) && want(i)) return i
      i++
    }
    return -1
  }

  clear(): void {
    this.pages.clear()
  }
}
