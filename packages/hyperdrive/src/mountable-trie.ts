// A mount-aware trie over @hyperstack/hypertrie, storage-compatible with mountable-hypertrie@2:
// mount points are nodes with user flag 1 plus a hidden "mounts/<path>" record; lookups,
// writes, listings, diffs and watches cross into mounted tries. Unlike the original, a checkout
// resolves a mount to the mounted drive (pinned version, else latest), not to itself.
import { posix } from 'node:path'
import { Hypertrie, type HypertrieNode } from '@hyperstack/hypertrie'
import type {
  DriveCore,
  DriveCorestore,
  DriveTrie,
  TrieDiffEntry,
  TrieEntry,
  TrieFactory,
  TrieGetResult,
  TrieIteratorOptions,
  TrieMountInfo,
  TrieMountOptions,
  TrieWatcher,
} from './drive-backend.js'
import { InvalidArgumentError } from './errors.js'
import { decodeMountRecord, encodeMountRecord } from './messages/mount-record.js'
import { unixify } from './paths.js'
import { CoreTrieFeed } from './trie-feed.js'

const MOUNT_FLAG = 1
const MOUNT_PREFIX = 'mounts'

function normalize(path: string): string {
  const p = unixify(path)
  return p.startsWith('/') ? p.slice(1) : p
}

// mountable-hypertrie's pathToMount / pathFromMount, with "." results turned into "".
function pathToMount(path: string, info: TrieMountInfo): string {
  if (path.length === info.localPath.length) return ''
  return normalize(posix.join(path.slice(info.localPath.length), info.remotePath))
}

function pathFromMount(path: string, info: TrieMountInfo): string {
  const rel = info.remotePath ? path.slice(info.remotePath.length) : path
  const joined = posix.join(info.localPath, rel)
  return joined === '.' ? '' : normalize(joined)
}

function isMountNode(node: HypertrieNode<unknown> | null): boolean {
  return !!node && node.flags === MOUNT_FLAG
}

/** Tries opened for mounts, shared by a drive, its mounts and its checkouts. */
interface MountCache {
  latest: Map<string, MountableTrie>
  pinned: Map<string, MountableTrie>
}

export interface MountableTrieOptions {
  sparse: boolean
  subtype: string
  extension: boolean
}

export class MountableTrie implements DriveTrie {
  readonly feed: DriveCore
  readonly trie: Hypertrie<Buffer>
  private readonly store: DriveCorestore
  private readonly opts: MountableTrieOptions
  private readonly cache: MountCache

  constructor(
    store: DriveCorestore,
    feed: DriveCore,
    opts: MountableTrieOptions,
    trie?: Hypertrie<Buffer>,
    cache?: MountCache,
  ) {
    this.store = store
    this.feed = feed
    this.opts = opts
    this.trie =
      trie ??
      new Hypertrie<Buffer>(null, {
        feed: new CoreTrieFeed(feed),
        sparse: opts.sparse,
        subtype: opts.subtype,
        extension: opts.extension,
        alwaysUpdate: !feed.writable,
      })
    this.cache = cache ?? { latest: new Map(), pinned: new Map() }
  }

  get version(): number {
    return this.trie.version
  }

  ready(): Promise<void> {
    return this.trie.ready()
  }

  getMetadata(): Promise<Buffer | null> {
    return this.trie.getMetadata()
  }

  setMetadata(metadata: Buffer): void {
    this.trie.setMetadata(metadata)
  }

  private rootInfo(): TrieMountInfo {
    return { key: this.feed.key ?? Buffer.alloc(0), version: null, localPath: '', remotePath: '' }
  }

  private entry(
    node: HypertrieNode<Buffer>,
    trie: DriveTrie,
    mount: TrieMountInfo,
    innerPath: string,
  ): TrieEntry {
    return {
      key: node.key,
      value: node.valueBuffer ?? Buffer.alloc(0),
      seq: node.seq,
      flags: node.flags,
      trie,
      mount,
      innerPath,
    }
  }

  private async openMount(key: Buffer, version: number): Promise<MountableTrie> {
    const hex = key.toString('hex')
    let latest = this.cache.latest.get(hex)
    if (!latest) {
      const feed = this.store.get({ key, sparse: this.opts.sparse })
      await feed.ready()
      latest = new MountableTrie(this.store, feed, this.opts, undefined, this.cache)
      this.cache.latest.set(hex, latest)
    }
    await latest.ready()
    if (!version) return latest
    const id = `${hex}:${version}`
    let pinned = this.cache.pinned.get(id)
    if (!pinned) {
      pinned = latest.checkout(version)
      this.cache.pinned.set(id, pinned)
    }
    return pinned
  }

  /** The trie owning `path` and its mount info (this trie with an empty localPath if none). */
  private async subtrie(path: string): Promise<{ trie: MountableTrie; info: TrieMountInfo }> {
    const mountNode = await this.trie.get(posix.join(MOUNT_PREFIX, path), {
      hidden: true,
      closest: true,
    })
    if (!isMountNode(mountNode) || !mountNode!.valueBuffer)
      return { trie: this, info: this.rootInfo() }
    const mountPath = mountNode!.key.slice(MOUNT_PREFIX.length + 1)
    if (posix.relative(mountPath, path).startsWith('..'))
      return { trie: this, info: this.rootInfo() }
    const rec = decodeMountRecord(mountNode!.valueBuffer)
    const trie = await this.openMount(rec.key, rec.version)
    return {
      trie,
      info: {
        key: rec.key,
        version: rec.version || null,
        localPath: rec.localPath,
        remotePath: rec.remotePath,
      },
    }
  }

  async get(key: string, opts: { hidden?: boolean } = {}): Promise<TrieGetResult> {
    const path = normalize(key)
    const root = this.rootInfo()
    const node = await this.trie.get(path, { hidden: opts.hidden, closest: true })
    if (!node) return { node: null, trie: this, mount: root, innerPath: path }
    if (opts.hidden || !isMountNode(node)) {
      if (node.key !== path) return { node: null, trie: this, mount: root, innerPath: path }
      return { node: this.entry(node, this, root, path), trie: this, mount: root, innerPath: path }
    }
    if (node.key === path)
      return { node: this.entry(node, this, root, path), trie: this, mount: root, innerPath: path }
    const { trie, info } = await this.subtrie(path)
    const inner = pathToMount(path, info)
    if (trie === this) {
      const exact = await this.trie.get(inner)
      return exact && exact.key === path
        ? { node: this.entry(exact, this, root, path), trie: this, mount: root, innerPath: path }
        : { node: null, trie: this, mount: root, innerPath: path }
    }
    const res = await trie.get(inner)
    // Results from inside a mount keep the innermost trie and mount info they came from.
    const subMount = res.mount.localPath ? res.mount : info
    if (!res.node) return { node: null, trie: res.trie, mount: subMount, innerPath: res.innerPath }
    const outer = pathFromMount(res.node.key, info)
    if (outer !== path)
      return { node: null, trie: res.trie, mount: subMount, innerPath: res.innerPath }
    const n = { ...res.node, key: outer }
    if (!res.node.mount.localPath) n.mount = info
    return { node: n, trie: res.trie, mount: subMount, innerPath: res.innerPath }
  }

  async put(
    key: string,
    value: Buffer,
    opts: { hidden?: boolean; flags?: number } = {},
  ): Promise<void> {
    const path = normalize(key)
    let redirect = false
    await this.trie.put(path, value, {
      hidden: opts.hidden,
      flags: opts.flags,
      closest: !opts.hidden,
      condition: opts.hidden
        ? null
        : (closest) => {
            if (
              closest &&
              isMountNode(closest) &&
              closest.key !== path &&
              path.startsWith(`${closest.key}/`)
            ) {
              redirect = true
              return false
            }
            return true
          },
    })
    if (!redirect) return
    const { trie, info } = await this.subtrie(path)
    if (trie === this) return
    await trie.put(pathToMount(path, info), value, opts)
  }

  async del(key: string, opts: { hidden?: boolean } = {}): Promise<boolean> {
    const path = normalize(key)
    let redirect = false
    const res = await this.trie.del(path, {
      hidden: opts.hidden,
      closest: !opts.hidden,
      condition: opts.hidden
        ? null
        : (closest) => {
            if (
              closest &&
              isMountNode(closest) &&
              closest.key !== path &&
              path.startsWith(`${closest.key}/`)
            ) {
              redirect = true
              return false
            }
            return true
          },
    })
    if (!redirect) return res !== null
    const { trie, info } = await this.subtrie(path)
    if (trie === this) return false
    return trie.del(pathToMount(path, info), opts)
  }

  async *iterator(prefix: string, opts: TrieIteratorOptions = {}): AsyncGenerator<TrieEntry> {
    const p = normalize(prefix)
    const recursive = opts.recursive !== false
    const descend = !!opts.recursive
    const { trie: owner, info: rootInfo } = await this.subtrie(p)
    const subPrefix = pathToMount(p, rootInfo)
    if (owner !== this) {
      for await (const e of owner.iterator(subPrefix, { ...opts, gt: false })) {
        const key = pathFromMount(e.key, rootInfo)
        if (opts.gt && key === p) continue
        yield { ...e, key, mount: e.mount.localPath ? e.mount : rootInfo }
      }
      return
    }
    const it = this.trie.iterator(subPrefix, { recursive, hidden: opts.hidden, gt: false })
    for await (const node of it) {
      const entry = this.entry(node, this, rootInfo, node.key)
      const skip = opts.gt && node.key === p
      if (!isMountNode(node) || opts.noMounts || opts.hidden || (!descend && node.key !== p)) {
        if (!skip) yield entry
        continue
      }
      const { trie: sub, info } = await this.subtrie(node.key)
      if (!skip) yield entry
      if (sub === this) continue
      for await (const e of sub.iterator(pathToMount(node.key, info), { ...opts, gt: false })) {
        yield { ...e, key: pathFromMount(e.key, info), mount: e.mount.localPath ? e.mount : info }
      }
    }
  }

  async list(prefix: string, opts: { hidden?: boolean } = {}): Promise<TrieEntry[]> {
    const out: TrieEntry[] = []
    for await (const e of this.iterator(prefix, opts)) out.push(e)
    return out
  }

  async mount(key: string, mountKey: Buffer, opts: TrieMountOptions = {}): Promise<void> {
    const path = normalize(key)
    if (mountKey.length !== 32)
      throw new InvalidArgumentError('The mount key is not valid.', `/${path}`)
    const { trie, info } = await this.subtrie(path)
    const inner = pathToMount(path, info)
    if (trie !== this) {
      await trie.mount(inner, mountKey, opts)
      return
    }
    const record = encodeMountRecord({
      key: mountKey,
      localPath: path,
      remotePath: opts.remotePath ? normalize(opts.remotePath) : null,
      version: opts.version,
    })
    await this.trie.batch([
      {
        type: 'put',
        key: posix.join(MOUNT_PREFIX, inner),
        flags: MOUNT_FLAG,
        hidden: true,
        value: record,
      },
      { type: 'put', key: inner, flags: MOUNT_FLAG, value: opts.value ?? Buffer.alloc(0) },
    ])
    await this.subtrie(path)
  }

  async unmount(key: string): Promise<void> {
    const path = normalize(key)
    const { trie, info } = await this.subtrie(normalize(posix.dirname(path)))
    if (trie !== this) {
      await trie.unmount(pathToMount(path, info))
      return
    }
    await this.trie.batch([
      { type: 'del', key: posix.join(MOUNT_PREFIX, path), hidden: true },
      { type: 'del', key: path },
    ])
  }

  async *mountIterator(
    opts: { recursive?: boolean } = {},
  ): AsyncGenerator<{ path: string; trie: DriveTrie }> {
    const stack: {
      trie: MountableTrie
      prefix: string
      it: AsyncIterator<HypertrieNode<Buffer>>
    }[] = [
      {
        trie: this,
        prefix: '/',
        it: this.trie.iterator(MOUNT_PREFIX, { hidden: true })[Symbol.asyncIterator](),
      },
    ]
    while (stack.length) {
      const top = stack[0]
      const r = await top.it.next()
      if (r.done) {
        stack.shift()
        continue
      }
      if (!isMountNode(r.value) || !r.value.valueBuffer) continue
      const rec = decodeMountRecord(r.value.valueBuffer)
      const sub = await top.trie.openMount(rec.key, rec.version)
      const mountPath = posix.join(top.prefix, rec.localPath)
      if (opts.recursive) {
        stack.unshift({
          trie: sub,
          prefix: posix.join(mountPath, rec.remotePath),
          it: sub.trie.iterator(MOUNT_PREFIX, { hidden: true })[Symbol.asyncIterator](),
        })
      }
      yield { path: mountPath, trie: sub }
    }
  }

  checkout(version: number): MountableTrie {
    return new MountableTrie(
      this.store,
      this.feed,
      this.opts,
      this.trie.checkout(version),
      this.cache,
    )
  }

  async *diff(other: number, prefix: string): AsyncGenerator<TrieDiffEntry> {
    const p = normalize(prefix)
    const { trie: owner, info } = await this.subtrie(p)
    for await (const d of owner.trie.diff(other, pathToMount(p, info))) {
      const leftMount = isMountNode(d.left)
      const rightMount = isMountNode(d.right)
      let type: TrieDiffEntry['type']
      if (!d.left && d.right) type = rightMount ? 'unmount' : 'del'
      else type = leftMount ? 'mount' : 'put'
      let mountInfo: unknown
      if (leftMount) mountInfo = (await owner.subtrie(d.key)).info
      yield {
        type,
        key: d.key,
        left:
          d.left && !leftMount
            ? { seq: d.left.seq, value: d.left.valueBuffer ?? Buffer.alloc(0) }
            : null,
        right: d.right && !rightMount ? { seq: d.right.seq } : null,
        info: mountInfo,
      }
    }
  }

  watch(key: string, onchange: () => void): TrieWatcher {
    const path = normalize(key)
    const watchers: TrieWatcher[] = [this.trie.watch(path, onchange)]
    let destroyed = false
    const addMounts = async (): Promise<void> => {
      for await (const node of this.trie.iterator(posix.join(MOUNT_PREFIX, path), {
        hidden: true,
      })) {
        if (destroyed) return
        if (!isMountNode(node) || !node.valueBuffer) continue
        const rec = decodeMountRecord(node.valueBuffer)
        const sub = await this.openMount(rec.key, rec.version)
        if (destroyed) return
        watchers.push(sub.watch(pathToMount(path, { ...rec, version: null }), onchange))
      }
    }
    addMounts().catch(() => {})
    return {
      destroy: () => {
        destroyed = true
        for (const w of watchers) w.destroy()
      },
    }
  }

  async close(): Promise<void> {
    await this.trie.close()
  }
}

/** The production trie factory: a MountableTrie over @hyperstack/hypertrie. */
export const mountableTrieFactory: TrieFactory = (store, metadata, opts) =>
  new MountableTrie(store, metadata, opts)
