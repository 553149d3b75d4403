// Waiting for events with a deadline (tests never sleep to synchronise).
/** Any event emitter (node's, streamx's typed ones); called loosely on purpose. */
interface LooseEmitter {
  once(event: string, fn: (...args: unknown[]) => void): unknown
}
const loose = (emitter: object): LooseEmitter => emitter as unknown as LooseEmitter

/** Resolves with the event's arguments, or rejects after `ms`. */
export function once<T extends unknown[] = unknown[]>(
  emitter: object,
  event: string,
  ms = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Timed out waiting for '${event}'`)), ms)
    loose(emitter).once(event, (...args: unknown[]) => {
      clearTimeout(timer)
      resolve(args as unknown as T)
    })
  })
}

/** A promise with its resolve function, resolved by a callback under test, with a deadline. */
export function deferred<T>(
  ms = 5000,
  what = 'callback',
): {
  promise: Promise<T>
  resolve: (value: T) => void
} {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`Timed out waiting for ${what}`)), ms)
    resolve = (value: T) => {
      clearTimeout(timer)
      res(value)
    }
  })
  return { promise, resolve }
}

/** Resolves once `stream` emits 'close'; with the error it was destroyed with, if any. */
export function closed(stream: object, ms = 5000): Promise<Error | null> {
  return new Promise((resolve, reject) => {
    let error: Error | null = null
    const timer = setTimeout(() => reject(new Error('Timed out waiting for close')), ms)
    loose(stream).once('error', (err) => {
      error = err as Error
    })
    loose(stream).once('close', () => {
      clearTimeout(timer)
      resolve(error)
    })
  })
}
