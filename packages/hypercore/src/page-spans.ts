// Disjoint, sorted runs of whole pages [start, end): how a remote bitfield keeps the pages that
// range announcements fill, so a Have of 2^40 blocks costs one run and not 2^27 pages.

export class PageSpans {
  private readonly starts: number[] = []
  private readonly ends: number[] = []

  get count(): number {
    return this.starts.length
  }

  /** The first run ending after page `p` (its position; `count` when none). */
  private after(p: number): number {
    let lo = 0
    let hi = this.ends.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.ends[mid] > p) hi = mid
      else lo = mid + 1
    }
    return lo
  }

  has(p: number): boolean {
    const k = this.after(p)
    return k < this.starts.length && this.starts[k] <= p
  }

  /** The first page at or after `p` inside a run, or -1. */
  firstFrom(p: number): number {
    const k = this.after(p)
    return k < this.starts.length ? Math.max(p, this.starts[k]) : -1
  }

  /** Covers [from, to), merging with the runs it overlaps or touches. */
  add(from: number, to: number): void {
    if (from >= to) return
    const k = this.after(from - 1)
    let j = k
    let start = from
    let end = to
    while (j < this.starts.length && this.starts[j] <= to) {
      start = Math.min(start, this.starts[j])
      end = Math.max(end, this.ends[j])
      j++
    }
    this.starts.splice(k, j - k, start)
    this.ends.splice(k, j - k, end)
  }

  /** Uncovers [from, to), keeping what the runs it cuts have outside it. */
  remove(from: number, to: number): void {
    if (from >= to) return
    const k = this.after(from)
    const starts: number[] = []
    const ends: number[] = []
    let j = k
    while (j < this.starts.length && this.starts[j] < to) {
      if (this.starts[j] < from) {
        starts.push(this.starts[j])
        ends.push(from)
      }
      if (this.ends[j] > to) {
        starts.push(to)
        ends.push(this.ends[j])
      }
      j++
    }
    this.starts.splice(k, j - k, ...starts)
    this.ends.splice(k, j - k, ...ends)
  }

  clear(): void {
    this.starts.length = 0
    this.ends.length = 0
  }
}
