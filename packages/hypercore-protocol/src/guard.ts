// A wait/continue counter that runs callbacks once nothing waits (nanoguard, as the original's
// `stream.prefinalize`): lets the layer above delay a non-live stream's end.
export class Guard {
  private waiters = 0
  private callbacks: (() => void)[] = []
  private destroyed = false

  get waiting(): boolean {
    return this.waiters > 0
  }

  wait(): void {
    this.waiters++
  }

  continue(): void {
    if (this.waiters === 0) return
    if (--this.waiters > 0) return
    const callbacks = this.callbacks
    this.callbacks = []
    for (const fn of callbacks) fn()
  }

  /** Runs `fn` now if nothing waits, else once the last waiter continues. */
  ready(fn: () => void): void {
    if (this.destroyed) return
    if (this.waiters === 0) fn()
    else this.callbacks.push(fn)
  }

  destroy(): void {
    this.destroyed = true
    this.callbacks = []
  }
}
