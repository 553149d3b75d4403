// Promise wrappers around hypercore@9 (CommonJS, untyped) for the interop tests.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

export interface OriginalFeed {
  key: Buffer
  discoveryKey: Buffer
  length: number
  byteLength: number
  writable: boolean
  on(event: string, fn: (...args: unknown[]) => void): void
  ready(cb: (err: Error | null) => void): void
  append(data: Buffer | Buffer[], cb: (err: Error | null, seq?: number) => void): void
  get(index: number, opts: object, cb: (err: Error | null, block?: Buffer) => void): void
  update(opts: object, cb: (err: Error | null) => void): void
  download(range: object, cb: (err: Error | null) => void): unknown
  has(index: number): boolean
  seek(
    bytes: number,
    opts: object,
    cb: (err: Error | null, index?: number, offset?: number) => void,
  ): void
  audit(cb: (err: Error | null, report?: { valid: number; invalid: number }) => void): void
  close(cb: (err: Error | null) => void): void
  registerExtension(name: string, handlers: OriginalExtensionHandlers): OriginalExtension
  finalize(cb: (err: Error | null) => void): void
  truncate(length: number, cb: (err: Error | null) => void): void
  replicate(
    isInitiator: boolean,
    opts?: object,
  ): NodeJS.ReadWriteStream & { destroy(err?: Error): void }
}

export interface OriginalExtensionHandlers {
  encoding?: string
  onmessage?(message: unknown, peer: unknown): void
}

export interface OriginalExtension {
  broadcast(message: unknown): void
}

type OriginalFactory = (storage: unknown, key?: Buffer | null, opts?: object) => OriginalFeed
export const hypercore9 = require('hypercore') as OriginalFactory
export const ramV3 = require('random-access-memory-v3') as () => unknown

export function cb<T = void>(
  fn: (done: (err: Error | null, value?: T) => void) => void,
): Promise<T> {
  return new Promise((resolve, reject) =>
    fn((err, value) => (err ? reject(err) : resolve(value as T))),
  )
}

export async function openOriginal(
  storage: unknown,
  key?: Buffer | null,
  opts: object = {},
): Promise<OriginalFeed> {
  const feed = hypercore9(storage, key ?? null, opts)
  await cb((done) => feed.ready(done))
  return feed
}
