// watchStats: a path's block counts (stats) collected on an interval, as hyperdrive@10's handle
// does it (a daemon shows download progress this way).
import { EventEmitter } from 'node:events'
import type { FileStats } from './drive-options.js'

/** The original's default interval between collections. */
const DEFAULT_INTERVAL_MS = 2000

export interface WatchStatsOptions {
  recursive?: boolean
  /** Milliseconds between collections (default 2000). */
  statsInterval?: number
  /** hyperdrive@10's spelling of `statsInterval`, accepted for its callers. */
  statsInveral?: number
}

export type PathStats = FileStats | Map<string, FileStats>

/**
 * Collects on every tick (skipping a tick while one is still running) and emits 'update' with
 * the result, also kept in `stats`. A failed collection ends it: 'destroy' with the error.
 */
export class StatsWatcher extends EventEmitter {
  /** The last collected stats (null before the first tick). */
  stats: PathStats | null = null
  destroyed = false
  private collecting = false
  private readonly timer: NodeJS.Timeout

  constructor(
    private readonly collect: () => Promise<PathStats>,
    opts: WatchStatsOptions,
  ) {
    super()
    const interval = opts.statsInterval ?? opts.statsInveral ?? DEFAULT_INTERVAL_MS
    this.timer = setInterval(() => this.tick(), interval)
  }

  private tick(): void {
    if (this.collecting || this.destroyed) return
    this.collecting = true
    this.collect().then(
      (stats) => {
        this.collecting = false
        if (this.destroyed) return
        this.stats = stats
        this.emit('update', stats)
      },
      (err: Error) => this.destroy(err),
    )
  }

  /** Stops collecting; 'destroy' carries the error that ended it, if any. */
  destroy(err?: Error): void {
    if (this.destroyed) return
    this.destroyed = true
    clearInterval(this.timer)
    this.emit('destroy', err)
  }
}
