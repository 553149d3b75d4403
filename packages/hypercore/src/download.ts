// A download selection: a range or list of blocks the replicator fetches until all are stored.
import type { Bitfield } from './bitfield.js'
import type { DownloadRange } from './options.js'

/** A download selection the replicator serves until every wanted block is stored. */
export class Download {
  readonly start: number
  end: number
  readonly linear: boolean
  readonly blocks: number[] | null
  /** The core's own whole-log selection (its end follows peers in non-live replication). */
  implicit = false
  /** Lowest index not yet known to be stored (a scan hint for the replicator). */
  cursor: number
  readonly done: Promise<void>
  resolve!: () => void
  reject!: (err: Error) => void

  constructor(range: DownloadRange) {
    this.blocks = range.blocks ? range.blocks.slice() : null
    let start = range.start ?? 0
    let end = range.end ?? -1
    if (this.blocks && range.start === undefined) {
      start = this.blocks.length ? Math.min(...this.blocks) : 0
      end = this.blocks.length ? Math.max(...this.blocks) + 1 : 0
    }
    this.start = start
    this.cursor = start
    this.end = end
    this.linear = !!range.linear
    this.done = new Promise<void>((resolve, reject) => {
      this.resolve = resolve
      this.reject = reject
    })
    this.done.catch(() => {})
  }

  /** True when every wanted block in the range is stored locally. */
  isComplete(bitfield: Bitfield, length: number): boolean {
    if (this.blocks) return this.blocks.every((b) => bitfield.get(b))
    if (this.end === -1) return false
    const end = this.end
    if (end > length) return false
    // Blocks are never un-downloaded behind the cursor except by clear(), which resets it.
    if (this.cursor < this.start) this.cursor = this.start
    while (this.cursor < end && bitfield.get(this.cursor)) this.cursor++
    return this.cursor >= end
  }
}

/** What `download()` returns: a promise of completion that also names and cancels the selection. */
export type DownloadHandle = Promise<void> & {
  readonly selection: Download
  readonly start: number
  readonly end: number
  cancel(): void
}
