// Blocks a read stream waits for on a sparse replica, taken from the core's 'download' events as
// they arrive (the verified bytes): one download selection per batch, and no copy per block as a
// get() waiter makes (a 1 MiB range of 64 KiB blocks: 38-45 ms this way, 47-52 ms with get()).
import { subscribe } from './core-listeners.js'
import type { DriveCore } from './drive-backend.js'
import { asBytes } from './trie-feed.js'

interface PendingBlock {
  resolve(data: Buffer): void
  reject(err: Error): void
}

/** What a core's download() returns, as far as this module uses it (checked at run time). */
interface DownloadHandleLike {
  then?: (onfulfilled: () => void, onrejected: (err: Error) => void) => unknown
  cancel?: () => void
}

/**
 * Fetches missing blocks of one core as download selections and resolves each wait with the
 * bytes the core's 'download' event carries (emitted once the block verified and was stored).
 * A selection that completes with a wait still open (its block was stored by a path that emits
 * no event) falls back to get(); a failed one (core closed) fails its waits.
 */
export class BlockArrivals {
  private readonly pending = new Map<number, PendingBlock>()
  private readonly selections = new Set<DownloadHandleLike>()
  /** Missing blocks asked for since the last request() ([low, high), empty when low > high). */
  private low = Number.POSITIVE_INFINITY
  private high = -1
  private closed = false
  private readonly unsubscribe: () => void
  private readonly ondownload = (index: number, data: unknown): void => {
    const waiting = this.pending.get(index)
    if (!waiting) return
    this.pending.delete(index)
    try {
      waiting.resolve(asBytes(data))
    } catch (err) {
      waiting.reject(err as Error)
    }
  }

  constructor(private readonly core: DriveCore) {
    this.unsubscribe = subscribe(core, 'download', this.ondownload as (...args: never[]) => void)
  }

  /** True when the core can serve waits this way (download selections and events). */
  static supports(core: DriveCore): boolean {
    return !core.writable && typeof core.download === 'function'
  }

  /**
   * Block `index`: read when stored, else waited for (call request() after a batch of gets so the
   * missing ones go out as one selection).
   */
  get(index: number): Promise<unknown> {
    if (this.closed || this.pending.has(index) || this.core.has(index) !== false) {
      return this.core.get(index)
    }
    const arrival = new Promise<Buffer>((resolve, reject) => {
      this.pending.set(index, { resolve, reject })
    })
    if (index < this.low) this.low = index
    if (index >= this.high) this.high = index + 1
    return arrival
  }

  /** Starts fetching the blocks waited for since the last call, as one download selection. */
  request(): void {
    if (this.high <= this.low || this.closed) return
    const start = this.low
    const end = this.high
    this.low = Number.POSITIVE_INFINITY
    this.high = -1
    const handle = (this.core.download as NonNullable<DriveCore['download']>)({
      start,
      end,
    }) as DownloadHandleLike | undefined
    if (!handle || typeof handle.then !== 'function') return
    this.selections.add(handle)
    handle.then(
      () => {
        this.selections.delete(handle)
        this.settle(start, end, null)
      },
      (err: Error) => {
        this.selections.delete(handle)
        this.settle(start, end, err)
      },
    )
  }

  /** Waits in [start, end) still open once their selection ended: read them, or fail them. */
  private settle(start: number, end: number, err: Error | null): void {
    for (const [index, waiting] of this.pending) {
      if (index < start || index >= end) continue
      this.pending.delete(index)
      if (err) waiting.reject(err)
      else this.core.get(index).then((data) => waiting.resolve(asBytes(data)), waiting.reject)
    }
  }

  /** Stops listening and cancels the selections still running (their waits are dropped). */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.unsubscribe()
    for (const handle of this.selections) handle.cancel?.()
    this.selections.clear()
    this.pending.clear()
  }
}
