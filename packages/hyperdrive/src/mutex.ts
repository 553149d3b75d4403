// A FIFO async mutex: one writer per content core at a time, as hyperdrive@10's mutexify lock.

export class Mutex {
  private tail: Promise<void> = Promise.resolve()
  private waiting = 0

  get locked(): boolean {
    return this.waiting > 0
  }

  /** Resolves with a release function once every earlier holder has released. */
  lock(): Promise<() => void> {
    this.waiting++
    let release!: () => void
    const next = new Promise<void>((resolve) => {
      release = () => {
        this.waiting--
        resolve()
      }
    })
    const prev = this.tail
    this.tail = prev.then(() => next)
    return prev.then(() => once(release))
  }
}

function once(fn: () => void): () => void {
  let done = false
  return () => {
    if (done) return
    done = true
    fn()
  }
}
