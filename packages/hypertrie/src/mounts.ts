// The trie controller: a Hypertrie that resolves mounts (and, given a link reader, symlinks) as
// mountable-hypertrie@2 stores them, so callers get entries annotated with the trie they came from.
import { EventEmitter } from 'node:events'
import { posix } from 'node:path'
import { InvalidArgumentError, TriePathError } from './errors.js'
import type { ReplicationStream, TrieFeed } from './feed.js'
import {
  type BatchOp,
  type DelOptions,
  type GetOptions,
  Hypertrie,
  type HypertrieNode,
  type HypertrieOptions,
  type PutOptions,
} from './hypertrie.js'
import type { IteratorOptions } from './iterator.js'
import { decodeMountMessage, encodeMountMessage } from './messages/mount-message.js'
import {
  MOUNT_FLAG,
  MOUNT_PREFIX,
  type MountInfo,
  isWithin,
  joinPath,
  mountRecordKey,
  normalizePath,
  pathFromMount,
  pathToMount,
} from './mount-paths.js'
import { DEFAULT_MAX_SYMLINK_DEPTH, resolveSymlinks } from './symlinks.js'
import type { TrieWatcher } from './watch.js'

/** Supplies the trie a mount names (unversioned; the controller checks out pinned versions). */
export type TrieProvider = (key: Buffer) => Hypertrie | Promise<Hypertrie>

/** A corestore-like source of feeds: `get({ key })` returns the feed of that key. */
export interface CorestoreLike {
  get(opts: { key: Buffer; sparse?: boolean }): TrieFeed
}

export interface MountableTrieOptions {
  /** How mounted tries are opened; or give `corestore`. */
  getTrie?: TrieProvider
  corestore?: CorestoreLike
  /** Options for tries opened from corestore feeds (default sparse, alwaysUpdate). */
  trieOptions?: HypertrieOptions
  /** Returns a symlink's target for an entry, null when it is not a link (hyperdrive: from Stat). */
  readLink?: ((node: HypertrieNode) => string | null) | null
  maxSymlinkDepth?: number
  /** Mounts of mounts deeper than this end in ELOOP (a trie mounting itself). */
  maxMountDepth?: number
}

/** An entry with the trie it came from, that trie's mount info and its key inside that trie. */
export interface MountedNode<T = unknown> extends HypertrieNode<T> {
  trie: MountableTrie<T>
  mount: MountInfo
  innerPath: string
}

export interface MountGetOptions extends GetOptions {
  /** Do not cross into mounted tries. */
  noMounts?: boolean
  /** Resolve symlinks along the path (needs `readLink`). */
  followLinks?: boolean
}

export interface MountIteratorOptions extends IteratorOptions {
  noMounts?: boolean
}

export interface MountOptions {
  version?: number | null
  remotePath?: string | null
  /** Value of the mount point entry (hyperdrive: a Stat); default an empty buffer. */
  value?: Uint8Array | null
  skipValidation?: boolean
}

export type MountDiffEntry<T = unknown> = {
  key: string
  type: 'put' | 'del' | 'mount' | 'unmount'
  left: HypertrieNode<T> | { info: MountInfo | null } | null
  right: HypertrieNode<T> | { info: MountInfo | null } | null
}

export type MountHistoryEntry<T = unknown> =
  | { type: 'put'; node: HypertrieNode<T> }
  | { type: 'mount'; info: MountInfo }

/** A watcher over a path and every trie mounted below it. */
export class MountWatcher extends EventEmitter {
  readonly watchers: TrieWatcher[] = []
  private destroyed = false
  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    for (const w of this.watchers) w.destroy()
    this.emit('close')
  }
  get isDestroyed(): boolean {
    return this.destroyed
  }
}

// put/del found the path lies inside a mount: redo the write in the mounted trie
class Mountpoint extends Error {}

function isMount(n: HypertrieNode | null): boolean {
  return n !== null && n.flags === MOUNT_FLAG
}

export class MountableTrie<T = unknown> extends EventEmitter {
  readonly trie: Hypertrie<T>
  readonly info: MountInfo
  private readonly opts: MountableTrieOptions
  private readonly provider: TrieProvider
  private readonly tries: Map<string, MountableTrie<T>>
  /** Tries this controller created from corestore feeds (a getTrie provider owns its own). */
  private readonly owned: Set<Hypertrie<T>>
  private readonly depth: number
  private readonly view: boolean

  constructor(trie: Hypertrie<T>, opts: MountableTrieOptions = {}, internal?: Internal<T>) {
    super()
    this.trie = trie
    this.opts = opts
    this.tries = internal?.tries ?? new Map()
    this.owned = internal?.owned ?? new Set()
    this.depth = internal?.depth ?? 0
    this.view = !!internal?.view
    this.info = internal?.info ?? {
      key: trie.key ?? Buffer.alloc(0),
      version: null,
      localPath: '',
      remotePath: '',
    }
    this.provider = opts.getTrie ?? providerFromCorestore(opts)
  }

  get feed(): TrieFeed {
    return this.trie.feed
  }
  get key(): Buffer | null {
    return this.trie.key
  }
  get discoveryKey(): Buffer | null {
    return this.trie.discoveryKey
  }
  get version(): number {
    return this.trie.version
  }

  async ready(): Promise<void> {
    await this.trie.ready()
    if (this.info.key.length === 0 && this.trie.key) this.info.key = this.trie.key
  }

  private rootInfo(): MountInfo {
    return { ...this.info, localPath: '', remotePath: '' }
  }

  private annotate(
    n: HypertrieNode<T>,
    trie: MountableTrie<T>,
    info: MountInfo,
    innerPath: string,
  ): MountedNode<T> {
    const m = n as MountedNode<T>
    if (!m.trie) {
      m.trie = trie
      m.mount = info
      m.innerPath = innerPath
    }
    return m
  }

  /** Opens the trie a mount record names, at its pinned version; cached per key and version. */
  private async openMount(info: MountInfo): Promise<MountableTrie<T>> {
    if (this.depth + 1 > (this.opts.maxMountDepth ?? 16)) {
      throw new TriePathError('ELOOP', info.localPath, 'too many levels of mounts')
    }
    const id = `${info.key.toString('hex')}:${info.version ?? ''}:${this.depth + 1}`
    const cached = this.tries.get(id)
    if (cached) return cached
    let base = (await this.provider(info.key)) as Hypertrie<T>
    if (!this.opts.getTrie) this.owned.add(base)
    await base.ready()
    if (info.version) base = base.checkout(info.version)
    const sub = new MountableTrie<T>(base, this.opts, {
      tries: this.tries,
      owned: this.owned,
      info,
      depth: this.depth + 1,
    })
    this.tries.set(id, sub)
    return sub
  }

  /** The trie that owns `path`: a mounted one if a mount record covers it, else this one. */
  async loadMount(path: string): Promise<{ trie: MountableTrie<T>; info: MountInfo }> {
    path = normalizePath(path)
    const record = await this.trie.get(mountRecordKey(path), { hidden: true, closest: true })
    if (!record || !isMount(record) || record.valueBuffer === null)
      return { trie: this, info: this.rootInfo() }
    const mountPath = record.key.slice(MOUNT_PREFIX.length + 1)
    if (
      !isWithin(mountPath, path) ||
      posix.relative(mountPath || '.', path || '.').startsWith('..')
    ) {
      return { trie: this, info: this.rootInfo() }
    }
    const m = decodeMountMessage(record.valueBuffer)
    const info: MountInfo = {
      key: m.key,
      version: m.version,
      localPath: normalizePath(m.localPath),
      remotePath: normalizePath(m.remotePath ?? ''),
    }
    return { trie: await this.openMount(info), info }
  }

  async get(path: string, opts: MountGetOptions = {}): Promise<MountedNode<T> | null> {
    path = normalizePath(path)
    if (opts.followLinks && this.opts.readLink) path = await this.realpath(path)
    const node = await this.trie.get(path, { ...opts, closest: true })
    if (!node) return null
    if (!isMount(node) || opts.noMounts) {
      if (node.key !== path && !opts.closest) return null
      return this.annotate(node, this, this.info, node.key)
    }
    if (node.key === path) return this.annotate(node, this, this.info, path)
    const { trie, info } = await this.loadMount(path)
    if (trie === this) {
      const exact = await this.trie.get(path, opts)
      return exact ? this.annotate(exact, this, this.info, exact.key) : null
    }
    const inner = pathToMount(path, info)
    const res = await trie.get(inner, { ...opts, followLinks: false })
    if (!res) return null
    res.key = pathFromMount(res.key, info)
    if (res.key !== path) return null
    return res
  }

  /** The path with every symlink component replaced by its target (ELOOP past the bound). */
  async realpath(path: string, followLast = true): Promise<string> {
    const readLink = this.opts.readLink
    if (!readLink) return normalizePath(path)
    return resolveSymlinks(
      path,
      async (p) => {
        const n = await this.get(p)
        return n ? readLink(n) : null
      },
      this.opts.maxSymlinkDepth ?? DEFAULT_MAX_SYMLINK_DEPTH,
      followLast,
    )
  }

  async put(
    path: string,
    value: T | Uint8Array | string | null,
    opts: PutOptions<T> = {},
  ): Promise<MountedNode<T>> {
    path = normalizePath(path)
    const user = opts.condition
    try {
      const node = await this.trie.put(path, value, {
        ...opts,
        closest: true,
        condition: async (closest, next) => {
          if (
            closest &&
            closest.flags & MOUNT_FLAG &&
            closest.key !== next.key &&
            next.key.startsWith(closest.key)
          ) {
            throw new Mountpoint()
          }
          if (!user) return true
          return user(closest && closest.key !== next.key && !opts.closest ? null : closest, next)
        },
      })
      return this.annotate(node, this, this.info, node.key)
    } catch (err) {
      if (!(err instanceof Mountpoint)) throw err
    }
    const { trie, info } = await this.loadMount(path)
    if (trie === this)
      throw new TriePathError('ENOENT', path, 'the mount record of this mount point is missing')
    const node = await trie.put(pathToMount(path, info), value, opts)
    node.key = pathFromMount(node.key, info)
    return node
  }

  async del(path: string, opts: DelOptions<T> = {}): Promise<MountedNode<T> | null> {
    path = normalizePath(path)
    const user = opts.condition
    try {
      const node = await this.trie.del(path, {
        ...opts,
        closest: true,
        condition: async (closest) => {
          if (closest && closest.flags & MOUNT_FLAG && closest.key !== path) throw new Mountpoint()
          return user ? user(closest) : true
        },
      })
      return node ? this.annotate(node, this, this.info, node.key) : null
    } catch (err) {
      if (!(err instanceof Mountpoint)) throw err
    }
    const { trie, info } = await this.loadMount(path)
    if (trie === this) return null
    const node = await trie.del(pathToMount(path, info), opts)
    if (node) node.key = pathFromMount(node.key, info)
    return node
  }

  async batch(ops: BatchOp[]): Promise<HypertrieNode<T>[]> {
    return this.trie.batch(ops)
  }

  /** Mounts the trie `key` at `path` (inside the trie that owns `path`). */
  async mount(path: string, key: Uint8Array, opts: MountOptions = {}): Promise<void> {
    path = normalizePath(path)
    if (key.length !== 32 && !opts.skipValidation)
      throw new InvalidArgumentError('the mount key is not valid')
    const { trie, info } = await this.loadMount(path)
    if (trie !== this) {
      await trie.mount(pathToMount(path, info), key, opts)
      return
    }
    const record = encodeMountMessage({
      key: Buffer.from(key),
      localPath: path,
      remotePath: opts.remotePath ? normalizePath(opts.remotePath) : null,
      version: opts.version ?? null,
      hash: null,
    })
    await this.trie.batch([
      { type: 'put', key: mountRecordKey(path), flags: MOUNT_FLAG, hidden: true, value: record },
      { type: 'put', key: path, flags: MOUNT_FLAG, value: opts.value ?? Buffer.alloc(0) },
    ])
  }

  async unmount(path: string): Promise<void> {
    path = normalizePath(path)
    const { trie, info } = await this.loadMount(
      posix.dirname(path) === '.' ? '' : posix.dirname(path),
    )
    if (trie !== this) {
      await trie.unmount(pathToMount(path, info))
      return
    }
    await this.trie.batch([
      { type: 'del', key: mountRecordKey(path), hidden: true },
      { type: 'del', key: path },
    ])
  }

  /**
   * Iterates `prefix` in the trie that owns it; mount points come out as entries and, when
   * `recursive` is set (or the mount point is the prefix), the mounted trie's entries follow.
   */
  async *iterator(prefix = '', opts: MountIteratorOptions = {}): AsyncGenerator<MountedNode<T>> {
    prefix = normalizePath(prefix)
    const recursive = !!opts.recursive
    const gt = !!opts.gt
    const innerOpts: MountIteratorOptions = { ...opts, gt: false }
    const { trie: owner, info: rootInfo } = await this.loadMount(prefix)
    const subPrefix = pathToMount(prefix, rootInfo)
    const root: AsyncIterable<MountedNode<T>> =
      owner === this
        ? this.plainIterator(subPrefix, innerOpts)
        : owner.iterator(subPrefix, innerOpts)

    for await (const node of root) {
      const nested =
        owner === this && isMount(node) && !opts.noMounts && (recursive || node.key === subPrefix)
      const outerKey = pathFromMount(node.key, rootInfo)
      if (!(gt && outerKey === prefix)) {
        node.key = outerKey
        yield node
      }
      if (!nested) continue
      const mountPoint = node.innerPath
      const { trie: sub, info } = await this.loadMount(mountPoint)
      if (sub === this) continue
      for await (const inner of sub.iterator(pathToMount(mountPoint, info), innerOpts)) {
        const key = pathFromMount(pathFromMount(inner.key, info), rootInfo)
        if (gt && key === prefix) continue
        inner.key = key
        yield inner
      }
    }
  }

  // this trie's own entries, annotated: a mapping iterator rather than a generator, so each
  // entry costs one promise (TrieIterator answers cached nodes at once)
  private plainIterator(prefix: string, opts: IteratorOptions): AsyncIterable<MountedNode<T>> {
    const ite = this.trie.iterator(prefix, opts)
    const next = (): Promise<IteratorResult<MountedNode<T>>> =>
      ite
        .next()
        .then((n) =>
          n === null
            ? { done: true, value: undefined }
            : { done: false, value: this.annotate(n, this, this.info, n.key) },
        )
    return { [Symbol.asyncIterator]: () => ({ next }) }
  }

  async list(prefix = '', opts: MountIteratorOptions = {}): Promise<MountedNode<T>[]> {
    const out: MountedNode<T>[] = []
    for await (const n of this.iterator(prefix, opts)) out.push(n)
    return out
  }

  /** Every mount below this trie: `{ path, trie, info }`, descending into mounts with `recursive`. */
  async *mountIterator(
    opts: { recursive?: boolean } = {},
    base = '',
  ): AsyncGenerator<{ path: string; trie: MountableTrie<T>; info: MountInfo }> {
    for await (const record of this.trie.iterator(MOUNT_PREFIX, { hidden: true })) {
      if (!isMount(record) || record.valueBuffer === null) continue
      const m = decodeMountMessage(record.valueBuffer)
      const info: MountInfo = {
        key: m.key,
        version: m.version,
        localPath: normalizePath(m.localPath),
        remotePath: normalizePath(m.remotePath ?? ''),
      }
      const sub = await this.openMount(info)
      const path = joinPath(base, info.localPath)
      yield { path, trie: sub, info }
      if (opts.recursive) yield* sub.mountIterator(opts, joinPath(path, info.remotePath))
    }
  }

  async listMounts(
    opts: { recursive?: boolean } = {},
  ): Promise<{ path: string; trie: MountableTrie<T>; info: MountInfo }[]> {
    const out = []
    for await (const m of this.mountIterator(opts)) out.push(m)
    return out
  }

  /** A read-only view at `version`; mounts resolve to their own pinned or latest versions. */
  checkout(version: number): MountableTrie<T> {
    return new MountableTrie<T>(this.trie.checkout(version), this.opts, {
      tries: this.tries,
      owned: this.owned,
      info: this.info,
      depth: this.depth,
      view: true,
    })
  }

  snapshot(): MountableTrie<T> {
    return this.checkout(this.version)
  }

  async *history(
    opts?: Parameters<Hypertrie<T>['history']>[0],
  ): AsyncGenerator<MountHistoryEntry<T>> {
    for await (const node of this.trie.history(opts)) {
      if (!isMount(node)) {
        yield { type: 'put', node }
        continue
      }
      const { info } = await this.loadMount(node.key)
      yield { type: 'mount', info }
    }
  }

  /** The owning trie's diff against a version of it, with mount points typed mount/unmount. */
  async *diff(
    other: number | null,
    prefix = '',
    opts: { noMounts?: boolean; hidden?: boolean } = {},
  ): AsyncGenerator<MountDiffEntry<T>> {
    prefix = normalizePath(prefix)
    const { trie: owner, info } = await this.loadMount(prefix)
    if (owner !== this) {
      for await (const d of owner.diff(other, pathToMount(prefix, info), opts)) {
        d.key = pathFromMount(d.key, info)
        yield d
      }
      return
    }
    const asMount = async (
      n: HypertrieNode<T> | null,
    ): Promise<HypertrieNode<T> | { info: MountInfo | null } | null> => {
      if (!n || !isMount(n)) return n
      if (opts.noMounts) return { info: null }
      return { info: (await this.loadMount(n.key)).info }
    }
    for await (const d of this.trie.diff(other ?? 0, prefix, { hidden: opts.hidden })) {
      const left = await asMount(d.left)
      const right = await asMount(d.right)
      const type =
        !left && right
          ? 'info' in right
            ? 'unmount'
            : 'del'
          : left && 'info' in left
            ? 'mount'
            : 'put'
      yield { key: d.key, type, left, right }
    }
  }

  /** Watches `path` here and in every trie mounted at or below it (each mounted key once). */
  watch(path: string, onchange: () => void): MountWatcher {
    const w = new MountWatcher()
    this.addWatchers(w, normalizePath(path), onchange, new Set()).then(
      () => {
        if (w.isDestroyed) for (const x of w.watchers) x.destroy()
        w.emit('ready', w.watchers)
      },
      (err: Error) => w.emit('error', err),
    )
    return w
  }

  private async addWatchers(
    w: MountWatcher,
    path: string,
    onchange: () => void,
    seen: Set<string>,
  ): Promise<void> {
    const { trie: owner, info } = await this.loadMount(path)
    if (owner !== this) {
      const key = owner.info.key.toString('hex')
      if (seen.has(key)) return
      seen.add(key)
      await owner.addWatchers(w, pathToMount(path, info), onchange, seen)
      return
    }
    if (w.isDestroyed) return
    w.watchers.push(this.trie.watch(path, onchange))
    for await (const record of this.trie.iterator(mountRecordKey(path), { hidden: true })) {
      if (w.isDestroyed) return
      if (!isMount(record) || record.valueBuffer === null) continue
      const m = decodeMountMessage(record.valueBuffer)
      const key = m.key.toString('hex')
      if (seen.has(key)) continue
      seen.add(key)
      const remote = normalizePath(m.remotePath ?? '')
      const sub = await this.openMount({
        key: m.key,
        version: m.version,
        localPath: normalizePath(m.localPath),
        remotePath: remote,
      })
      await sub.addWatchers(w, remote, onchange, seen)
    }
  }

  replicate(isInitiator: boolean, opts?: object): ReplicationStream {
    return this.trie.replicate(isInitiator, opts)
  }

  /** Closes the tries this controller opened for mounts, then its own trie. */
  async close(): Promise<void> {
    if (this.depth === 0 && !this.view) {
      for (const t of this.owned) await t.close()
      this.owned.clear()
      this.tries.clear()
    }
    await this.trie.close()
  }
}

interface Internal<T> {
  tries: Map<string, MountableTrie<T>>
  owned: Set<Hypertrie<T>>
  info?: MountInfo
  depth?: number
  /** A checkout: shares the root's mounted tries and does not close them. */
  view?: boolean
}

function providerFromCorestore(opts: MountableTrieOptions): TrieProvider {
  const store = opts.corestore
  return (key) => {
    if (!store)
      throw new InvalidArgumentError('mounted tries need a getTrie provider or a corestore')
    const feed = store.get({ key, sparse: opts.trieOptions?.sparse ?? true })
    return new Hypertrie(null, { alwaysUpdate: true, ...opts.trieOptions, feed })
  }
}
