// Connects two replication streams, counting the bytes each way, and closes them afterwards.
import { Transform } from 'node:stream'

/** A replication stream, ours or an original's: a socket pipes into it and back out. */
export interface Pipeable extends NodeJS.WritableStream {
  pipe<T extends NodeJS.WritableStream>(dest: T): T
  destroy(err?: Error): void
}

export interface Wire {
  /** Bytes from `a` to `b` and from `b` to `a`. */
  readonly aToB: number
  readonly bToA: number
  close(): void
}

function counter(onbytes: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      onbytes(chunk.length)
      cb(null, chunk)
    },
  })
}

export function connect(a: Pipeable, b: Pipeable): Wire {
  const state = { aToB: 0, bToA: 0 }
  const ab = counter((n) => {
    state.aToB += n
  })
  const ba = counter((n) => {
    state.bToA += n
  })
  a.pipe(ab).pipe(b)
  b.pipe(ba).pipe(a)
  return {
    get aToB() {
      return state.aToB
    },
    get bToA() {
      return state.bToA
    },
    close() {
      a.destroy()
      b.destroy()
      ab.destroy()
      ba.destroy()
    },
  }
}

/** Rejects after `ms` unless `p` settles first (no sleeps as synchronisation). */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms: ${what}`)), ms)
  })
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer))
}
