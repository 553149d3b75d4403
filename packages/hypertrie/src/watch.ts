// Watching a prefix (hypertrie@5's lib/watch.js): after every append re-run a prefix lookup and
// emit `change` when it lands on a newer node than last time.
import { EventEmitter } from 'node:events'

export interface WatchHost {
  /** Seq of the node a prefix lookup of `prefix` finds now (0 when none). */
  prefixSeq(prefix: string): Promise<number>
  removeWatcher(w: TrieWatcher): void
}

export class TrieWatcher extends EventEmitter {
  readonly prefix: string
  private readonly host: WatchHost
  private destroyed = false
  private closest = 0
  private updated = false
  private kicking = false

  constructor(host: WatchHost, prefix: string, onchange?: () => void) {
    super()
    this.host = host
    this.prefix = prefix
    if (onchange) this.on('change', onchange)
  }

  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.host.removeWatcher(this)
    this.emit('close')
  }

  get isDestroyed(): boolean {
    return this.destroyed
  }

  update(): void {
    if (this.destroyed) return
    if (!this.kicking) this.kick()
    else this.updated = true
  }

  private kick(): void {
    this.kicking = true
    this.host.prefixSeq(this.prefix).then(
      (seq) => this.done(seq),
      () => this.done(0),
    )
  }

  private done(seq: number): void {
    this.kicking = false
    if (this.destroyed) return
    if (seq > this.closest) {
      this.closest = seq
      this.updated = false
      this.emit('change')
      return
    }
    if (this.updated) {
      this.updated = false
      this.kick()
    }
  }
}
