// A priority queue that picks at random among the items of the highest non-empty priority,
// as shuffled-priority-queue does for hyperswarm@2, so equal peers are dialled in no set order.

export class ShuffledQueue<T> {
  private readonly levels: T[][]
  private readonly where = new Map<T, number>()

  constructor(priorities: number) {
    this.levels = Array.from({ length: priorities }, () => [])
  }

  get length(): number {
    return this.where.size
  }

  /** Items queued at priority `min` or above. */
  countFrom(min: number): number {
    let n = 0
    for (let i = min; i < this.levels.length; i++) n += this.levels[i].length
    return n
  }

  has(item: T): boolean {
    return this.where.has(item)
  }

  add(item: T, priority: number): void {
    if (this.where.has(item)) return
    const level = Math.max(0, Math.min(this.levels.length - 1, priority))
    this.levels[level].push(item)
    this.where.set(item, level)
  }

  remove(item: T): boolean {
    const level = this.where.get(item)
    if (level === undefined) return false
    const list = this.levels[level]
    const i = list.indexOf(item)
    list[i] = list[list.length - 1]
    list.pop()
    this.where.delete(item)
    return true
  }

  shift(): T | null {
    for (let level = this.levels.length - 1; level >= 0; level--) {
      const list = this.levels[level]
      if (list.length === 0) continue
      const i = Math.floor(Math.random() * list.length)
      const item = list[i]
      list[i] = list[list.length - 1]
      list.pop()
      this.where.delete(item)
      return item
    }
    return null
  }

  clear(): void {
    for (const list of this.levels) list.length = 0
    this.where.clear()
  }
}
