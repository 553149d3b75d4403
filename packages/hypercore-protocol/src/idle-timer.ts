// A timer that fires once `ms` pass without activity; activity is a timestamp write, so marking it
// on every chunk costs nothing (the timer re-arms itself for the remaining time when it wakes).
export class IdleTimer {
  readonly ms: number
  private last = Date.now()
  private timer: NodeJS.Timeout | null
  private readonly onidle: () => void

  constructor(ms: number, onidle: () => void) {
    this.ms = ms
    this.onidle = onidle
    this.timer = setTimeout(() => this.check(), ms)
    this.timer.unref()
  }

  /** Records activity now. */
  refresh(): void {
    this.last = Date.now()
  }

  destroy(): void {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
  }

  private check(): void {
    if (this.timer === null) return
    const elapsed = Date.now() - this.last
    if (elapsed >= this.ms) {
      this.last = Date.now()
      this.timer = setTimeout(() => this.check(), this.ms)
      this.timer.unref()
      this.onidle()
      return
    }
    this.timer = setTimeout(() => this.check(), this.ms - elapsed)
    this.timer.unref()
  }
}
