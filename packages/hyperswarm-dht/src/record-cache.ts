// Announced peer records, as record-cache@1: two generations swapped every ceil(2/3 maxAge), so
// a record lives 8 to 16 minutes after its last announce (maxAge 12 min). Bounded in total
// (maxSize, the original's 65536) and per topic (oldest records of a topic are evicted first).

export interface RecordCacheOptions {
  maxAge: number
  maxSize: number
  maxPerTopic: number
}

export const RECORD_CACHE_DEFAULTS: RecordCacheOptions = {
  maxAge: 12 * 60 * 1000,
  maxSize: 65536,
  maxPerTopic: 4096,
}

type Generation = Map<string, Map<string, Buffer>>

export class RecordCache {
  private readonly opts: RecordCacheOptions
  private fresh: Generation = new Map()
  private stale: Generation = new Map()
  private freshSize = 0
  private staleSize = 0
  private gcAt: number
  private readonly timer: NodeJS.Timeout

  constructor(opts: Partial<RecordCacheOptions> = {}) {
    this.opts = { ...RECORD_CACHE_DEFAULTS, ...opts }
    const period = Math.ceil((this.opts.maxAge * 2) / 3)
    this.gcAt = Date.now()
    this.timer = setInterval(() => {
      // skip a period in which a size-triggered GC already happened, as record-cache does
      if (Date.now() - this.gcAt >= period - 50) this.gc()
    }, period)
    this.timer.unref()
  }

  get size(): number {
    return this.freshSize + this.staleSize
  }

  add(topic: string, record: Buffer): void {
    const key = record.toString('hex')
    this.removeFrom(this.stale, topic, key, false)
    let set = this.fresh.get(topic)
    if (!set) {
      set = new Map()
      this.fresh.set(topic, set)
    }
    if (set.has(key)) set.delete(key)
    else this.freshSize++
    set.set(key, record)
    const staleSet = this.stale.get(topic)
    while (set.size + (staleSet?.size ?? 0) > this.opts.maxPerTopic) {
      const victim: Map<string, Buffer> = staleSet && staleSet.size > 0 ? staleSet : set
      const first = victim.keys().next().value
      if (first === undefined) break
      victim.delete(first)
      if (victim === set) this.freshSize--
      else this.staleSize--
    }
    if (this.freshSize > this.opts.maxSize) this.gc()
  }

  remove(topic: string, record: Buffer): void {
    const key = record.toString('hex')
    this.removeFrom(this.fresh, topic, key, true)
    this.removeFrom(this.stale, topic, key, false)
  }

  /** Up to n records of the topic sampled uniformly from both generations. */
  get(topic: string, n: number): Buffer[] {
    const all: Buffer[] = []
    const a = this.fresh.get(topic)
    const b = this.stale.get(topic)
    if (a) for (const r of a.values()) all.push(r)
    if (b) for (const r of b.values()) all.push(r)
    if (all.length <= n) return all
    // partial Fisher-Yates: the first n slots become a uniform sample
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(Math.random() * (all.length - i))
      const t = all[i]
      all[i] = all[j]
      all[j] = t
    }
    return all.slice(0, n)
  }

  destroy(): void {
    clearInterval(this.timer)
    this.fresh.clear()
    this.stale.clear()
    this.freshSize = this.staleSize = 0
  }

  private gc(): void {
    this.stale = this.fresh
    this.staleSize = this.freshSize
    this.fresh = new Map()
    this.freshSize = 0
    this.gcAt = Date.now()
  }

  private removeFrom(gen: Generation, topic: string, key: string, fresh: boolean): void {
    const set = gen.get(topic)
    if (!set?.delete(key)) return
    if (fresh) this.freshSize--
    else this.staleSize--
    if (set.size === 0) gen.delete(topic)
  }
}
