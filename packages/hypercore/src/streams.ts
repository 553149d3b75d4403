import type { ValueEncoding } from './codecs.js'
// Read and write streams over a core (streamx), as hypercore@9's createReadStream / createWriteStream.
import { Readable, Writable } from './commonjs.js'

/** The part of a core the streams use. */
export interface StreamableCore {
  length: number
  ready(): Promise<void>
  get(
    index: number,
    opts?: { wait?: boolean; timeout?: number; valueEncoding?: ValueEncoding },
  ): Promise<unknown>
  append(value: unknown): Promise<number>
  update(opts?: { minLength?: number }): Promise<void>
}

export interface ReadStreamOptions {
  start?: number
  /** Exclusive end; default: the length when the stream opens (or forever when `live`). */
  end?: number
  /** Keep reading new blocks as they are appended. */
  live?: boolean
  /** With no `end`, fix the end at the length when the stream opens (default true). */
  snapshot?: boolean
  /** Wait for missing blocks (default true). */
  wait?: boolean
  timeout?: number
  valueEncoding?: ValueEncoding
}

export const READ_STREAM_DEFAULTS = {
  start: 0,
  live: false,
  snapshot: true,
  wait: true,
  timeout: 0,
} as const

export function createReadStream(core: StreamableCore, opts: ReadStreamOptions = {}): Readable {
  let index = opts.start ?? READ_STREAM_DEFAULTS.start
  let end = opts.end ?? -1
  const live = opts.live ?? READ_STREAM_DEFAULTS.live
  const snapshot = opts.snapshot ?? READ_STREAM_DEFAULTS.snapshot
  const getOpts = {
    wait: opts.wait ?? READ_STREAM_DEFAULTS.wait,
    timeout: opts.timeout ?? READ_STREAM_DEFAULTS.timeout,
    valueEncoding: opts.valueEncoding,
  }
  return new Readable({
    open(cb) {
      core.ready().then(() => {
        if (end === -1 && !live && snapshot) end = core.length
        cb(null)
      }, cb)
    },
    read(cb) {
      const limit = end === -1 ? (live ? Number.POSITIVE_INFINITY : core.length) : end
      if (index >= limit) {
        this.push(null)
        cb(null)
        return
      }
      const i = index++
      const next = live && i >= core.length ? core.update({ minLength: i + 1 }) : Promise.resolve()
      next
        .then(() => core.get(i, getOpts))
        .then((value) => {
          this.push(value)
          cb(null)
        }, cb)
    },
  })
}

export function createWriteStream(core: StreamableCore): Writable {
  return new Writable({
    writev(batch, cb) {
      core.append(batch).then(() => cb(null), cb)
    },
  })
}
