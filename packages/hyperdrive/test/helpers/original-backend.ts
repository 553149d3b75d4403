// A drive backend over the ORIGINAL corestore@5 + mountable-hypertrie@2 (callback APIs wrapped
// into the promise interfaces of src/drive-backend.ts). It lets the drive logic run against the
// reference implementation of the layers below, byte for byte, while our own layers are built.
import { createRequire } from 'node:module'
import type {
  CoreSeekResult,
  CorestoreGetOptions,
  DriveCore,
  DriveCorestore,
  DriveTrie,
  ReplicationStream,
  TrieDiffEntry,
  TrieEntry,
  TrieFactory,
  TrieGetResult,
  TrieMountInfo,
  TriePutOptions,
  TrieWatcher,
} from '../../src/drive-backend.js'

const require = createRequire(import.meta.url)
const requireFromHyperdrive = createRequire(require.resolve('hyperdrive'))

type Cb<T> = (err: Error | null, value?: T) => void

interface RawFeed {
  key: Buffer | null
  discoveryKey: Buffer | null
  length: number
  byteLength: number
  writable: boolean
  ready(cb: Cb<void>): void
  append(data: Buffer | Buffer[], cb: Cb<unknown>): void
  get(index: number, opts: object, cb: Cb<Buffer>): void
  has(index: number): boolean
  seek(
    bytes: number,
    opts: object,
    cb: (err: Error | null, index: number, offset: number) => void,
  ): void
  close(cb: Cb<void>): void
  on(event: string, fn: (...args: never[]) => void): unknown
  removeListener(event: string, fn: (...args: never[]) => void): unknown
}

interface RawStore {
  ready(cb: Cb<void>): void
  default(opts?: object): RawFeed
  get(opts: object): RawFeed
  namespace(name: string): RawStore
  replicate(isInitiator: boolean, opts?: object): ReplicationStream
  close(cb: Cb<void>): void
}

interface RawIterator<T> {
  next(cb: Cb<T | null>): void
}

interface RawNode {
  key: string
  value: Buffer
  seq: number
  flags: number
  [sym: symbol]: unknown
}

interface RawMountInfo {
  key: Buffer
  version: number | null
  localPath: string
  remotePath: string
}

interface RawTrie {
  feed: RawFeed
  version: number
  ready(cb: Cb<void>): void
  getMetadata(cb: Cb<Buffer>): void
  setMetadata(b: Buffer): void
  get(
    path: string,
    opts: object,
    cb: (
      err: Error | null,
      node: RawNode | null,
      trie: RawTrie,
      info: RawMountInfo,
      inner: string,
    ) => void,
  ): void
  put(path: string, value: Buffer, opts: object, cb: Cb<unknown>): void
  del(path: string, opts: object, cb: Cb<unknown>): void
  iterator(prefix: string, opts: object): RawIterator<RawNode>
  list(prefix: string, opts: object, cb: Cb<RawNode[]>): void
  mount(path: string, key: Buffer, opts: object, cb: Cb<unknown>): void
  unmount(path: string, cb: Cb<unknown>): void
  mountIterator(opts: object): RawIterator<{ path: string; trie: RawTrie }>
  checkout(version: number): RawTrie
  diff(
    other: number,
    prefix: string,
    opts?: object,
  ): RawIterator<{
    type: 'put' | 'del' | 'mount' | 'unmount'
    key: string
    left: (RawNode & { info?: unknown }) | null
    right: (RawNode & { info?: unknown }) | null
  }>
  watch(path: string, onchange: () => void): TrieWatcher
  close(cb: Cb<void>): void
}

type CorestoreCtor = new (storage: unknown, opts?: object) => RawStore
type MountableCtor = (new (
  store: RawStore,
  key: Buffer | null,
  opts: object,
) => RawTrie) & {
  Symbols: { TRIE: symbol; MOUNT: symbol; INNER_PATH: symbol }
}

export const OriginalCorestore = requireFromHyperdrive('corestore') as CorestoreCtor
const MountableHypertrie = requireFromHyperdrive('mountable-hypertrie') as MountableCtor

function call<T>(fn: (cb: Cb<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v as T))))
}

const cores = new WeakMap<RawFeed, CoreAdapter>()
const rawCores = new WeakMap<DriveCore, RawFeed>()

class CoreAdapter implements DriveCore {
  constructor(readonly raw: RawFeed) {}
  get key() {
    return this.raw.key
  }
  get discoveryKey() {
    return this.raw.discoveryKey
  }
  get length() {
    return this.raw.length
  }
  get byteLength() {
    return this.raw.byteLength
  }
  get writable() {
    return this.raw.writable
  }
  ready() {
    return call<void>((cb) => this.raw.ready(cb))
  }
  append(blocks: Buffer | Buffer[]) {
    return call<unknown>((cb) => this.raw.append(blocks, cb))
  }
  get(index: number, opts: object = {}) {
    return call<Buffer>((cb) => this.raw.get(index, opts, cb))
  }
  has(index: number) {
    return this.raw.has(index)
  }
  seek(bytes: number, opts: object = {}): Promise<CoreSeekResult> {
    return new Promise((resolve, reject) =>
      this.raw.seek(bytes, opts, (err, index, offset) =>
        err ? reject(err) : resolve([index, offset]),
      ),
    )
  }
  close() {
    return call<void>((cb) => this.raw.close(cb))
  }
  on(event: string, fn: (...args: never[]) => void) {
    return this.raw.on(event, fn)
  }
  removeListener(event: string, fn: (...args: never[]) => void) {
    return this.raw.removeListener(event, fn)
  }
}

export function wrapCore(raw: RawFeed): DriveCore {
  let c = cores.get(raw)
  if (!c) {
    c = new CoreAdapter(raw)
    cores.set(raw, c)
    rawCores.set(c, raw)
  }
  return c
}

export class StoreAdapter implements DriveCorestore {
  constructor(readonly raw: RawStore) {}
  ready() {
    return call<void>((cb) => this.raw.ready(cb))
  }
  default(opts: CorestoreGetOptions = {}) {
    return wrapCore(this.raw.default(clean(opts)))
  }
  get(opts: CorestoreGetOptions) {
    return wrapCore(this.raw.get(clean(opts)))
  }
  namespace(name: string) {
    return new StoreAdapter(this.raw.namespace(name))
  }
  replicate(isInitiator: boolean, opts: object = {}) {
    return this.raw.replicate(isInitiator, opts)
  }
  close() {
    return call<void>((cb) => this.raw.close(cb))
  }
}

function clean(opts: CorestoreGetOptions): object {
  const o: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(opts)) if (v !== null && v !== undefined) o[k] = v
  return o
}

const tries = new WeakMap<RawTrie, TrieAdapter>()
function wrapTrie(raw: RawTrie): TrieAdapter {
  let t = tries.get(raw)
  if (!t) {
    t = new TrieAdapter(raw)
    tries.set(raw, t)
  }
  return t
}

function toMountInfo(info: RawMountInfo | undefined): TrieMountInfo {
  return {
    key: info?.key ?? Buffer.alloc(0),
    version: info?.version ?? null,
    localPath: info?.localPath ?? '',
    remotePath: info?.remotePath ?? '',
  }
}

async function* iterate<T>(it: RawIterator<T>): AsyncGenerator<T> {
  while (true) {
    const v = await call<T | null>((cb) => it.next(cb))
    if (v === null || v === undefined) return
    yield v
  }
}

class TrieAdapter implements DriveTrie {
  constructor(readonly raw: RawTrie) {}
  get feed() {
    return wrapCore(this.raw.feed)
  }
  get version() {
    return this.raw.version
  }
  ready() {
    return call<void>((cb) => this.raw.ready(cb))
  }
  async getMetadata() {
    return (await call<Buffer>((cb) => this.raw.getMetadata(cb))) ?? null
  }
  setMetadata(b: Buffer) {
    this.raw.setMetadata(b)
  }
  private entry(node: RawNode, fallback: RawTrie): TrieEntry {
    const S = MountableHypertrie.Symbols
    const trie = (node[S.TRIE] as RawTrie | undefined) ?? fallback
    return {
      key: node.key,
      value: node.value,
      seq: node.seq,
      flags: node.flags,
      trie: wrapTrie(trie),
      mount: toMountInfo(node[S.MOUNT] as RawMountInfo | undefined),
      innerPath: (node[S.INNER_PATH] as string | undefined) ?? node.key,
    }
  }
  get(key: string, opts: { hidden?: boolean } = {}): Promise<TrieGetResult> {
    return new Promise((resolve, reject) =>
      this.raw.get(key, opts, (err, node, trie, info, inner) => {
        if (err) return reject(err)
        const t = trie ?? this.raw
        resolve({
          node: node ? this.entry(node, t) : null,
          trie: wrapTrie(t),
          mount: toMountInfo(info),
          innerPath: inner,
        })
      }),
    )
  }
  /** Resolves undefined: the original's node does not say which trie took it (no Stat cache). */
  async put(key: string, value: Buffer, opts: TriePutOptions = {}): Promise<undefined> {
    const check = opts.condition
    const raw = {
      hidden: opts.hidden,
      flags: opts.flags,
      condition: check
        ? (existing: RawNode | null, _next: RawNode, cb: Cb<boolean>) => {
            Promise.resolve(
              existing ? check({ value: existing.value, flags: existing.flags }) : check(null),
            ).then(
              () => cb(null, true),
              (err: Error) => cb(err),
            )
          }
        : undefined,
    }
    await call<unknown>((cb) => this.raw.put(key, value, raw, cb))
    return undefined
  }
  async del(key: string, opts: { hidden?: boolean } = {}) {
    return !!(await call<unknown>((cb) => this.raw.del(key, opts, cb)))
  }
  async *iterator(prefix: string, opts: object = {}) {
    for await (const node of iterate(this.raw.iterator(prefix, opts)))
      yield this.entry(node, this.raw)
  }
  async list(prefix: string, opts: object = {}) {
    const nodes = await call<RawNode[]>((cb) => this.raw.list(prefix, opts, cb))
    return nodes.map((n) => this.entry(n, this.raw))
  }
  async mount(key: string, mountKey: Buffer, opts: object = {}) {
    await call<unknown>((cb) => this.raw.mount(key, mountKey, opts, cb))
  }
  async unmount(key: string) {
    await call<unknown>((cb) => this.raw.unmount(key, cb))
  }
  async *mountIterator(opts: { recursive?: boolean } = {}) {
    for await (const m of iterate(this.raw.mountIterator(opts))) {
      yield { path: m.path, trie: wrapTrie(m.trie) as DriveTrie }
    }
  }
  checkout(version: number): DriveTrie {
    return wrapTrie(this.raw.checkout(version))
  }
  async *diff(other: number, prefix: string): AsyncGenerator<TrieDiffEntry> {
    for await (const d of iterate(this.raw.diff(other, prefix))) {
      yield {
        type: d.type,
        key: d.key,
        left: d.left && !d.left.info ? { seq: d.left.seq, value: d.left.value } : null,
        right: d.right && !d.right.info ? { seq: d.right.seq } : null,
        info: d.left?.info,
      }
    }
  }
  watch(key: string, onchange: () => void) {
    return this.raw.watch(key, onchange)
  }
  close() {
    return call<void>((cb) => this.raw.close(cb))
  }
}

/** The trie factory over mountable-hypertrie, for drives opened on a StoreAdapter. */
export const originalTrieFactory: TrieFactory = (store, metadata, opts) => {
  const raw = (store as StoreAdapter).raw
  const feed = rawCores.get(metadata)!
  return wrapTrie(new MountableHypertrie(raw, null, { feed, ...opts }))
}

/** A corestore@5 over the given storage, wrapped for the drive. */
export function originalStore(storage: unknown, opts: object = {}): StoreAdapter {
  return new StoreAdapter(new OriginalCorestore(storage, opts))
}

const requireFromCorestore = createRequire(requireFromHyperdrive.resolve('corestore'))
const requireFromHypercore = createRequire(requireFromCorestore.resolve('hypercore'))
const requireFromDefaultStorage = createRequire(
  requireFromHypercore.resolve('hypercore-default-storage'),
)
/** random-access-file@2, the one hypercore@9 uses. */
export const originalRaf = requireFromDefaultStorage('random-access-file') as (
  path: string,
) => unknown
/** random-access-memory@3, the one the originals expect. */
export const originalRam = require('random-access-memory-v3') as () => unknown

/** Storage function for a folder, as hyperdrive@10's lib/storage.js builds it. */
export function folderStorage(dir: string): (name: string) => unknown {
  return (name) => originalRaf(`${dir}/${name}`)
}
