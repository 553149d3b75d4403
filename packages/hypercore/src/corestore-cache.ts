// The cores a Corestore has open, by discovery key, with reference counts (refpool@1 as
// corestore@5 uses it): referenced cores stay open; unreferenced ones are closed oldest-first
// once the cache holds more than `maxSize` cores.

interface CacheEntry<T> {
  value: T
  refs: number
}

export class CoreCache<T> {
  private readonly entries = new Map<string, CacheEntry<T>>()
  /** Unreferenced ids, oldest first (a Map keeps insertion order). */
  private readonly collectable = new Map<string, true>()

  constructor(
    private readonly maxSize: number,
    private readonly evict: (value: T) => void,
  ) {}

  get size(): number {
    return this.entries.size
  }

  has(id: string): boolean {
    return this.entries.has(id)
  }

  /** The cached value; an unreferenced one becomes the newest candidate for eviction. */
  get(id: string): T | undefined {
    const entry = this.entries.get(id)
    if (!entry) return undefined
    if (entry.refs === 0) this.markCollectable(id)
    return entry.value
  }

  /** The cached value, without counting as a use. */
  peek(id: string): T | undefined {
    return this.entries.get(id)?.value
  }

  refs(id: string): number {
    return this.entries.get(id)?.refs ?? 0
  }

  /** Adds an unreferenced value; evicts the oldest unreferenced others if over capacity. */
  set(id: string, value: T): void {
    this.entries.set(id, { value, refs: 0 })
    this.markCollectable(id)
    this.collect(id)
  }

  increment(id: string): void {
    const entry = this.entries.get(id)
    if (!entry) return
    entry.refs++
    this.collectable.delete(id)
  }

  decrement(id: string): void {
    const entry = this.entries.get(id)
    if (!entry || entry.refs === 0) return
    if (--entry.refs === 0) {
      this.markCollectable(id)
      this.collect(null)
    }
  }

  /** Forgets an entry without evicting it (the value closed itself). */
  delete(id: string): void {
    this.entries.delete(id)
    this.collectable.delete(id)
  }

  values(): T[] {
    return Array.from(this.entries.values(), (e) => e.value)
  }

  *referenced(): Generator<T> {
    for (const entry of this.entries.values()) if (entry.refs > 0) yield entry.value
  }

  private markCollectable(id: string) {
    this.collectable.delete(id)
    this.collectable.set(id, true)
  }

  private collect(keep: string | null) {
    for (const id of this.collectable.keys()) {
      if (this.entries.size <= this.maxSize) return
      if (id === keep) continue
      const entry = this.entries.get(id)
      this.delete(id)
      if (entry) this.evict(entry.value)
    }
  }
}
