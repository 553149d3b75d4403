// Promises over the originals' node-style callbacks.

export type Callback<T> = (err: Error | null, value?: T) => void

/** Calls `fn` with a callback and settles with what the callback receives. */
export function fromCallback<T = void>(fn: (cb: Callback<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    fn((err, value) => (err ? reject(err) : resolve(value as T)))
  })
}
