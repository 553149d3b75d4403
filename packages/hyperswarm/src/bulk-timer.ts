// One interval for many delayed items, as hyperswarm@2's bulk timers: an item pushed now is
// handed back after between 0.66x and 1.32x the nominal delay, in a batch with its neighbours.

export class BulkTimer<T> {
  private readonly interval: number
  private readonly onBatch: (batch: T[]) => void
  private timer: NodeJS.Timeout | null = null
  private next: T[] = []
  private pending: T[] = []

  constructor(delay: number, onBatch: (batch: T[]) => void) {
    this.interval = Math.max(1, Math.floor(delay * 0.66))
    this.onBatch = onBatch
  }

  get size(): number {
    return this.next.length + this.pending.length
  }

  push(item: T): void {
    if (this.timer === null) {
      this.timer = setInterval(() => this.tick(), this.interval)
      this.timer.unref()
    }
    this.pending.push(item)
  }

  destroy(): void {
    if (this.timer !== null) clearInterval(this.timer)
    this.timer = null
    this.next = []
    this.pending = []
  }

  private tick(): void {
    const batch = this.next
    this.next = this.pending
    this.pending = []
    if (batch.length === 0 && this.next.length === 0 && this.timer !== null) {
      // Nothing waiting: stop ticking until the next push.
      clearInterval(this.timer)
      this.timer = null
    }
    if (batch.length > 0) this.onBatch(batch)
  }
}
