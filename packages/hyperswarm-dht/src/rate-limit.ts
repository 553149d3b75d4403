// A per-sender request allowance per one-second window, with a bounded table of senders, so a
// remote cannot make us answer (or remember) without limit.

export interface RateLimitOptions {
  /** Requests one address (host:port) may make per second. */
  perSecond: number
  /** Distinct addresses tracked per second; requests from further addresses are refused. */
  maxSenders: number
}

export const RATE_LIMIT_DEFAULTS: RateLimitOptions = { perSecond: 400, maxSenders: 16384 }

export class RateLimiter {
  private readonly opts: RateLimitOptions
  private window = 0
  private counts = new Map<string, number>()

  constructor(opts: Partial<RateLimitOptions> = {}) {
    this.opts = { ...RATE_LIMIT_DEFAULTS, ...opts }
  }

  /** Counts one request from `key`; false when it is over its allowance. */
  allow(key: string, now = Date.now()): boolean {
    const window = Math.floor(now / 1000)
    if (window !== this.window) {
      this.window = window
      this.counts.clear()
    }
    const n = this.counts.get(key)
    if (n === undefined) {
      if (this.counts.size >= this.opts.maxSenders) return false
      this.counts.set(key, 1)
      return true
    }
    if (n >= this.opts.perSecond) return false
    this.counts.set(key, n + 1)
    return true
  }
}
