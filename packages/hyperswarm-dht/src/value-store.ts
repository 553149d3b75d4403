// The immutable/mutable record store, as hashlru@2: two generations of `max` entries; an entry
// survives max to 2*max newer inserts, and reading it from the old generation promotes it.

export class ValueStore<V> {
  private readonly max: number
  private fresh = new Map<string, V>()
  private stale = new Map<string, V>()

  constructor(max = 5000) {
    this.max = max
  }

  get(key: string): V | undefined {
    const v = this.fresh.get(key)
    if (v !== undefined) return v
    const old = this.stale.get(key)
    if (old !== undefined) this.insert(key, old)
    return old
  }

  set(key: string, value: V): void {
    if (this.fresh.has(key)) this.fresh.set(key, value)
    else this.insert(key, value)
  }

  clear(): void {
    this.fresh.clear()
    this.stale.clear()
  }

  private insert(key: string, value: V): void {
    this.fresh.set(key, value)
    if (this.fresh.size >= this.max) {
      this.stale = this.fresh
      this.fresh = new Map()
    }
  }
}
