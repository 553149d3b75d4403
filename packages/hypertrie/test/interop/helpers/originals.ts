// Typed handles on the originals (hypercore@9, hypertrie@5) and a TrieFeed adapter over a
// hypercore@9 feed, so our trie logic can run on the original core.
import { EventEmitter } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type {
  TrieExtensionChannel,
  TrieExtensionHandlers,
  TrieFeed,
  TrieFeedGetOptions,
  TrieFeedUpdateOptions,
} from '../../../src/index.js'

const require = createRequire(import.meta.url)

type Cb<T = unknown> = (err: Error | null, value?: T) => void

export interface V9Feed {
  key: Buffer | null
  discoveryKey: Buffer | null
  length: number
  writable: boolean
  sparse: boolean
  ready(cb: Cb): void
  append(data: Buffer | Buffer[], cb: Cb): void
  get(index: number, opts: object, cb: Cb<Buffer>): void
  has(index: number): boolean
  update(opts: object, cb: Cb): void
  download(range: object, cb?: Cb): unknown
  registerExtension(name: string, handlers: TrieExtensionHandlers): TrieExtensionChannel
  replicate(isInitiator: boolean, opts?: object): OriginalReplicationStream
  close(cb: Cb): void
  on(event: string, fn: (...args: unknown[]) => void): void
  removeListener(event: string, fn: (...args: unknown[]) => void): void
}

/** hypercore-protocol@8's stream (a streamx duplex), as the originals' replicate() returns it. */
export type OriginalReplicationStream = NodeJS.ReadWriteStream & { destroy(err?: Error): void }

export const hypercore9 = require('hypercore') as (
  storage: unknown,
  key?: Buffer | null,
  opts?: object,
) => V9Feed
export const ram3 = require('random-access-memory-v3') as () => unknown

export interface V5Node {
  key: string
  value: Buffer | null
  seq: number
  flags: number
}
export interface V5Iterator<T = V5Node> {
  next(cb: Cb<T | null>): void
}
export interface V5DiffEntry {
  key: string
  left: V5Node | null
  right: V5Node | null
}
export interface V5Trie {
  feed: V9Feed
  key: Buffer
  version: number
  ready(cb: Cb): void
  put(key: string, value: Buffer | null, opts: object, cb: Cb<V5Node>): void
  get(key: string, opts: object, cb: Cb<V5Node | null>): void
  del(key: string, opts: object, cb: Cb<V5Node | null>): void
  batch(ops: object[], cb: Cb<V5Node[]>): void
  list(prefix: string, opts: object, cb: Cb<V5Node[]>): void
  history(opts?: object): V5Iterator
  diff(other: number, prefix?: string | null, opts?: object): V5Iterator<V5DiffEntry>
  reconnect(from: number, opts?: object): V5Iterator<V5DiffEntry>
  checkout(version: number): V5Trie
  replicate(isInitiator: boolean, opts?: object): OriginalReplicationStream
  watch(prefix: string, onchange: () => void): { destroy(): void }
  on(event: string, fn: (...args: unknown[]) => void): void
}
export const hypertrie5 = require('hypertrie') as (
  storage: unknown,
  key?: Buffer | null,
  opts?: object,
) => V5Trie

export function call<T>(fn: (cb: Cb<T>) => void): Promise<T> {
  return new Promise((resolve, reject) =>
    fn((err, value) => (err ? reject(err) : resolve(value as T))),
  )
}

export async function drain<T>(ite: { next(cb: Cb<T | null>): void }): Promise<T[]> {
  const out: T[] = []
  for (;;) {
    const x = await call<T | null>((cb) => ite.next(cb))
    if (x === null || x === undefined) return out
    out.push(x)
  }
}

/** hypercore@9 seen through the TrieFeed interface. */
export class V9FeedAdapter extends EventEmitter implements TrieFeed {
  readonly inner: V9Feed
  constructor(inner: V9Feed) {
    super()
    this.inner = inner
    inner.on('append', () => this.emit('append'))
    inner.on('close', () => this.emit('close'))
  }
  get key() {
    return this.inner.key
  }
  get discoveryKey() {
    return this.inner.discoveryKey
  }
  get length() {
    return this.inner.length
  }
  get writable() {
    return this.inner.writable
  }
  get sparse() {
    return this.inner.sparse
  }
  ready(): Promise<void> {
    return call((cb) => this.inner.ready(cb)).then(() => undefined)
  }
  append(blocks: Buffer | Buffer[]): Promise<unknown> {
    return call((cb) => this.inner.append(blocks, cb))
  }
  get(index: number, opts: TrieFeedGetOptions = {}): Promise<Uint8Array> {
    return call<Buffer>((cb) => this.inner.get(index, { ...opts, valueEncoding: 'binary' }, cb))
  }
  has(index: number): boolean {
    return this.inner.has(index)
  }
  update(opts: TrieFeedUpdateOptions = {}): Promise<unknown> {
    return call((cb) => this.inner.update(opts, cb))
  }
  download(range: { start: number; end: number; blocks?: number[] }): unknown {
    return this.inner.download(range, () => {})
  }
  registerExtension(name: string, handlers: TrieExtensionHandlers): TrieExtensionChannel {
    return this.inner.registerExtension(name, handlers)
  }
  replicate(isInitiator: boolean, opts?: object): OriginalReplicationStream {
    return this.inner.replicate(isInitiator, opts)
  }
  close(): Promise<void> {
    return call((cb) => this.inner.close(cb)).then(() => undefined)
  }
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'hypertrie-interop-'))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}
