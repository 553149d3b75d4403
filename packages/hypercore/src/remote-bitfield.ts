// What a peer has: a sparse bitfield of blocks in 1 KiB pages, with whole pages that range
// announcements fill kept as runs. What a hostile peer announces costs us in proportion to the
// bytes it sent, within a page budget, and searches jump over gaps page by page.

import type { RleRun } from './bitfield-rle.js'
import { InvalidMessageError } from './errors.js'
import { PageSpans } from './page-spans.js'

const PAGE_BITS = 8192
const PAGE_BYTES = PAGE_BITS / 8

/** Blocks beyond this index are refused (2^40: far past any real core). */
export const MAX_REMOTE_INDEX = 2 ** 40

/** Pages a peer's announcements may make us store: 64 MiB, partial bits of 2^29 blocks. */
export const MAX_REMOTE_PAGES = 65_536

export class RemoteBitfield {
  /** Pages with bits of their own; a page here overrides the runs. */
  private readonly pages = new Map<number, Uint8Array>()
  /** The numbers of `pages`, sorted (searches jump from one to the next). */
  private readonly order: number[] = []
  /** Runs of pages with every bit set. */
  private readonly full = new PageSpans()

  constructor(private readonly maxPages = MAX_REMOTE_PAGES) {}

  /** Pages stored with bits of their own (what the page budget counts). */
  get storedPages(): number {
    return this.pages.size
  }

  get(i: number): boolean {
    const p = Math.floor(i / PAGE_BITS)
    const page = this.pages.get(p)
    if (!page) return this.full.has(p)
    const bit = i % PAGE_BITS
    return (page[bit >> 3] & (128 >> (bit & 7))) !== 0
  }

  /** Page `p` with bits of its own, made on first write (from its run when it is in one). */
  private writable(p: number, announced: boolean): Uint8Array {
    let page = this.pages.get(p)
    if (page) return page
    if (announced && this.pages.size >= this.maxPages) {
      throw new InvalidMessageError(`Peer announced blocks over more than ${this.maxPages} pages`)
    }
    page = new Uint8Array(PAGE_BYTES)
    if (this.full.has(p)) page.fill(255)
    this.pages.set(p, page)
    this.order.splice(this.firstPageFrom(p), 0, p)
    return page
  }

  /** Position in `order` of the first page numbered `p` or more. */
  private firstPageFrom(p: number): number {
    let lo = 0
    let hi = this.order.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.order[mid] < p) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** Forgets the own bits of pages [from, to) (a run now says what they hold). */
  private dropPages(from: number, to: number): void {
    const k = this.firstPageFrom(from)
    let j = k
    while (j < this.order.length && this.order[j] < to) this.pages.delete(this.order[j++])
    this.order.splice(k, j - k)
  }

  /** Sets one bit (what we sent or received: not counted against the page budget). */
  set(i: number, value: boolean): void {
    const p = Math.floor(i / PAGE_BITS)
    if (!value && !this.pages.has(p) && !this.full.has(p)) return
    const page = this.writable(p, false)
    const bit = i % PAGE_BITS
    if (value) page[bit >> 3] |= 128 >> (bit & 7)
    else page[bit >> 3] &= ~(128 >> (bit & 7))
  }

  /** Sets or clears [start, start + length): whole pages as runs, the ends bit by bit. */
  setRange(start: number, length: number, value: boolean): void {
    const end = start + length
    const firstWhole = Math.ceil(start / PAGE_BITS)
    const endWhole = Math.floor(end / PAGE_BITS)
    if (firstWhole > endWhole) {
      // inside one page
      this.setBits(start, end, value)
      return
    }
    this.setBits(start, firstWhole * PAGE_BITS, value)
    if (value) this.full.add(firstWhole, endWhole)
    else this.full.remove(firstWhole, endWhole)
    this.dropPages(firstWhole, endWhole)
    this.setBits(endWhole * PAGE_BITS, end, value)
  }

  /** Sets or clears [from, to) inside one page: whole bytes at once. */
  private setBits(from: number, to: number, value: boolean): void {
    if (from >= to) return
    const p = Math.floor(from / PAGE_BITS)
    if (!value && !this.pages.has(p) && !this.full.has(p)) return
    const page = this.writable(p, true)
    const base = p * PAGE_BITS
    let bit = from - base
    const stop = to - base
    for (; bit < stop && bit & 7; bit++) this.setBit(page, bit, value)
    const wholeBytes = (stop - bit) >> 3
    page.fill(value ? 255 : 0, bit >> 3, (bit >> 3) + wholeBytes)
    for (bit += 8 * wholeBytes; bit < stop; bit++) this.setBit(page, bit, value)
  }

  private setBit(page: Uint8Array, bit: number, value: boolean): void {
    if (value) page[bit >> 3] |= 128 >> (bit & 7)
    else page[bit >> 3] &= ~(128 >> (bit & 7))
  }

  /**
   * ORs in the runs of a Have's bitfield (MSB first) from block `start`, which is on a byte
   * boundary; returns the highest index set or -1. Runs of ones become runs of pages.
   */
  applyRuns(runs: readonly RleRun[], start: number): number {
    let last = -1
    let at = start
    for (const run of runs) {
      const bits = 8 * run.length
      if (run.kind === 'ones' && run.length > 0) {
        this.setRange(at, bits, true)
        last = at + bits - 1
      } else if (run.kind === 'bytes') {
        last = Math.max(last, this.fill(run.bytes, at))
      }
      at += bits
    }
    return last
  }

  /** ORs in an MSB-first bitfield starting at block `start`; returns the highest set index or -1. */
  fill(bits: Uint8Array, start: number): number {
    // a have's bitfield starts on a byte boundary (it names whole bytes of blocks): OR whole
    // bytes into the pages (a 4096-block have is 512 writes, not 4096 bit sets)
    if (start % 8 !== 0) return this.fillBits(bits, start)
    let last = -1
    let pageIndex = -1
    let page: Uint8Array | null = null
    for (let byte = 0; byte < bits.length; byte++) {
      const b = bits[byte]
      if (!b) continue
      const i = start + 8 * byte
      const p = Math.floor(i / PAGE_BITS)
      if (p !== pageIndex) {
        // a page in a run has every bit already
        page = this.pages.get(p) ?? (this.full.has(p) ? null : this.writable(p, true))
        pageIndex = p
      }
      if (page) page[(i % PAGE_BITS) >> 3] |= b
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
          this.setBits(i, i + 1, true)
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
      const pageEnd = Math.min(end, (p + 1) * PAGE_BITS)
      const page = this.pages.get(p)
      if (page) {
        const found = this.nextInPage(page, p * PAGE_BITS, i, pageEnd, want)
        if (found !== -1) return found
      } else if (this.full.has(p)) {
        for (; i < pageEnd; i++) if (want(i)) return i
      } else {
        // nothing here: on to the next page that holds anything
        const next = this.nextHoldingPage(p + 1)
        if (next === -1) return -1
        i = Math.max(pageEnd, next * PAGE_BITS)
        continue
      }
      i = pageEnd
    }
    return -1
  }

  private nextInPage(
    page: Uint8Array,
    base: number,
    from: number,
    to: number,
    want: (i: number) => boolean,
  ): number {
    for (let i = from; i < to; ) {
      const bit = i - base
      if ((bit & 7) === 0 && page[bit >> 3] === 0) {
        i += 8
        continue
      }
      if (page[bit >> 3] & (128 >> (bit & 7)) && want(i)) return i
      i++
    }
    return -1
  }

  /** The first page numbered `p` or more with bits of its own or in a run, or -1. */
  private nextHoldingPage(p: number): number {
    const k = this.firstPageFrom(p)
    const stored = k < this.order.length ? this.order[k] : -1
    const run = this.full.firstFrom(p)
    if (stored === -1) return run
    return run === -1 ? stored : Math.min(stored, run)
  }

  clear(): void {
    this.pages.clear()
    this.order.length = 0
    this.full.clear()
  }
}
