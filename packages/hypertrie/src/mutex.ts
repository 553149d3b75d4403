// One writer at a time: puts, deletes and batches of a trie run in order (hypertrie@5's mutexify).
// An uncontended run starts at once; waiters are handed the lock in arrival order.
export class Mutex {
  private locked = false
  private readonly waiting: (() => void)[] = []

  async run<T>(fn: () => T | Promise<T>): Promise<T> {
    if (this.locked) await new Promise<void>((resolve) => this.waiting.push(resolve))
    else this.locked = true
    try {
      return await fn()
    } finally {
      const next = this.waiting.shift()
      if (next) next()
      else this.locked = false
    }
  }
}
