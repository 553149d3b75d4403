// The async-iterable face of an iterative query (streamx Readable, object mode): each useful
// reply is one item; `finished()` resolves with the query's totals once it has ended.

import { Readable } from './commonjs.js'
import type { Query, QueryResult } from './query.js'

export class QueryStream<T> extends Readable {
  private query: Query | null = null
  private readonly result: Promise<QueryResult>
  private ended = false

  /**
   * `start` receives a push function and returns the running query; it may be async (the node
   * binds its socket first).
   */
  constructor(
    start: (push: (item: T) => void) => Promise<{ query: Query; done: Promise<QueryResult> }>,
  ) {
    super({ highWaterMark: 64 })
    this.result = start((item) => {
      if (!this.ended && !this.destroying) this.push(item)
    }).then(({ query, done }) => {
      this.query = query
      if (this.destroying) query.destroy()
      return done
    })
    this.result.then(
      () => this.end(),
      (err: Error) => {
        this.ended = true
        // only surface the error as a stream error to someone listening for it (an async
        // iterator or an 'error' handler); `finished()` reports it in every case
        if (this.listenerCount('error') > 0) this.destroy(err)
        else this.destroy()
      },
    )
  }

  /** Resolves with the query totals when it ends; rejects with its error. */
  finished(): Promise<QueryResult> {
    return this.result
  }

  override [Symbol.asyncIterator](): AsyncIterator<T> {
    return super[Symbol.asyncIterator]() as AsyncIterator<T>
  }

  override _destroy(cb: (err: Error | null) => void): void {
    this.query?.destroy()
    cb(null)
  }

  private end(): void {
    if (this.ended) return
    this.ended = true
    this.push(null)
  }
}
