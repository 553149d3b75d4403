// Wires two replication streams together (ours are streamx duplexes, the originals' node streams)
// and returns a function that tears both down.
interface PipeableStream {
  pipe(dest: never): unknown
  destroy(err?: Error): void
  on(event: 'error', fn: (err: Error) => void): unknown
}

function asPipeable(x: unknown): PipeableStream {
  if (
    typeof x !== 'object' ||
    x === null ||
    typeof (x as { pipe?: unknown }).pipe !== 'function' ||
    typeof (x as { destroy?: unknown }).destroy !== 'function'
  ) {
    throw new TypeError('not a stream')
  }
  return x as PipeableStream
}

export function connect(a: unknown, b: unknown): () => void {
  const x = asPipeable(a)
  const y = asPipeable(b)
  x.on('error', () => {})
  y.on('error', () => {})
  x.pipe(y as never)
  y.pipe(x as never)
  return () => {
    x.destroy()
    y.destroy()
  }
}

export function waitForEvent<T>(
  emitter: { once(e: string, fn: (x: T) => void): unknown },
  event: string,
  ms = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out waiting for ${event}`)), ms)
    emitter.once(event, (x: T) => {
      clearTimeout(t)
      resolve(x)
    })
  })
}
