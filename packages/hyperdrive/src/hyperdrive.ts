// The Hyperdrive class: a POSIX-like filesystem over a mount-aware metadata trie and a content
// core per drive, with hyperdrive@10's on-disk layout and promise versions of its methods.
import { EventEmitter } from 'node:events'
import { Writable } from 'streamx'
import { ContentCores } from './content-cores.js'
import type { ReadRangeOptions } from './content-range.js'
import { cutIntoBlocks } from './content-range.js'
import { type StorageFunction, defaultCorestore, defaultTrieFactory } from './default-backend.js'
import { type DiffEntry, DiffStream } from './diff-stream.js'
import { type DownloadOptions, type DownloadProgress, downloadFiles } from './download.js'
import type {
  CoreExtensionChannel,
  CoreExtensionHandlers,
  DriveCore,
  DriveCorestore,
  DriveTrie,
  ReplicationStream,
  TrieFactory,
  TrieMountInfo,
  TrieWatcher,
} from './drive-backend.js'
import {
  ContentMismatchError,
  DirectoryNotEmptyError,
  FileNotFoundError,
  InvalidArgumentError,
  InvalidPermissionError,
  IsDirectoryError,
  NotDirectoryError,
  PathAlreadyExistsError,
  TooManySymlinksError,
} from './errors.js'
import type { StatMetadata } from './messages/stat-codec.js'
import { fixName, resolveLinkTarget, toTrieKey, unixify } from './paths.js'
import { type FileLocation, FileReadStream } from './read-stream.js'
import {
  type ListingSource,
  type ReaddirEntry,
  type ReaddirOptions,
  readdirEntries,
  statEntries,
} from './readdir.js'
import { Stat } from './stat.js'
import { TAGS_PREFIX, decodeTagVersion, encodeTagVersion, tagKey, tagName } from './tags.js'
import { FileWriteStream, type WriteTarget, toBuffer } from './write-stream.js'

export interface HyperdriveOptions {
  /** Fetch content blocks only when read (default true). */
  sparse?: boolean
  /** Fetch metadata blocks only when needed (default true). */
  sparseMetadata?: boolean
  /** Key pair of the metadata core (instead of the corestore's default name). */
  keyPair?: { publicKey: Buffer; secretKey: Buffer } | null
  /** Use `corestore.namespace(namespace)`, so the metadata core is derived from that name. */
  namespace?: string | null
  /** Register the trie's lookup extension (default true). */
  extension?: boolean
  /** Header subtype (default "hyperdrive"). */
  subtype?: string
  /** Builds the mount-aware trie (default: @hyperstack/hypertrie's). */
  createTrie?: TrieFactory | null
}

const DEFAULTS = {
  sparse: true,
  sparseMetadata: true,
  extension: true,
  subtype: 'hyperdrive',
} as const

export interface WriteFileOptions {
  encoding?: BufferEncoding
  mode?: number
  uid?: number
  gid?: number
  mtime?: number | Date
  ctime?: number | Date
  metadata?: StatMetadata
}

export interface ReadFileOptions extends ReadRangeOptions {
  encoding?: BufferEncoding | 'binary'
}

export interface MkdirOptions {
  mode?: number
  uid?: number
  gid?: number
}

export interface MountOptions {
  version?: number
  hash?: Uint8Array
  hypercore?: boolean
  uid?: number
  gid?: number
  remotePath?: string
}

export interface FileStats {
  blocks: number
  size: number
  downloadedBlocks: number
}

export interface MountEntry {
  metadata: DriveCore
  content: DriveCore | null
}

interface CheckoutState {
  parent: Hyperdrive
  version: number
  contentCores: ContentCores
}

/** Stat plus where it came from. */
interface Located {
  stat: Stat
  trie: DriveTrie
  mount: TrieMountInfo
  innerPath: string
  path: string
}

const MAX_SYMLINK_DEPTH = 40

function isCorestore(v: unknown): v is DriveCorestore {
  if (!v || typeof v !== 'object') return false
  const o = v as Record<string, unknown>
  return (
    typeof o.default === 'function' &&
    typeof o.get === 'function' &&
    typeof o.replicate === 'function'
  )
}

function toKey(key: Uint8Array | string | null | undefined): Buffer | null {
  if (key === null || key === undefined) return null
  if (typeof key === 'string') {
    if (!/^[0-9a-fA-F]{64}$/.test(key))
      throw new InvalidArgumentError('A drive key is 32 bytes or 64 hex characters')
    return Buffer.from(key, 'hex')
  }
  if (key.length !== 32) throw new InvalidArgumentError('A drive key is 32 bytes')
  return Buffer.from(key)
}

export class Hyperdrive extends EventEmitter {
  readonly corestore: DriveCorestore
  key: Buffer | null
  discoveryKey: Buffer | null = null
  readonly sparse: boolean
  readonly sparseMetadata: boolean
  readonly subtype: string
  readonly isCheckout: boolean
  metadata: DriveCore | null = null
  private _trie: DriveTrie | null = null
  private readonly options: HyperdriveOptions
  private readonly ownsCorestore: boolean
  private readonly contentCores: ContentCores
  private readonly checkoutState: CheckoutState | null
  private opening: Promise<void> | null = null
  private closing: Promise<void> | null = null
  private readonly watchers = new Set<TrieWatcher>()

  constructor(
    storage: string | StorageFunction | DriveCorestore,
    key?: Uint8Array | string | null,
    opts: HyperdriveOptions = {},
  ) {
    super()
    this.options = opts
    this.key = toKey(key)
    this.sparse = opts.sparse ?? DEFAULTS.sparse
    this.sparseMetadata = opts.sparseMetadata ?? DEFAULTS.sparseMetadata
    this.subtype = opts.subtype ?? DEFAULTS.subtype
    const checkout = (opts as { _checkout?: CheckoutState })._checkout ?? null
    this.checkoutState = checkout
    this.isCheckout = checkout !== null
    let store: DriveCorestore
    if (isCorestore(storage)) {
      store = storage
      this.ownsCorestore = false
    } else {
      store = defaultCorestore(storage, this.sparse || this.sparseMetadata)
      this.ownsCorestore = true
    }
    if (opts.namespace && !checkout) store = store.namespace(opts.namespace)
    this.corestore = store
    this.contentCores = checkout ? checkout.contentCores : new ContentCores(store, this.sparse)
    this.opening = null
  }

  /** The metadata trie (mount-aware); available after ready(). */
  get trie(): DriveTrie {
    if (!this._trie)
      throw new InvalidArgumentError('The drive is not ready yet; await drive.ready()')
    return this._trie
  }

  /** Metadata version: the metadata core length (1 for a new drive: its header). */
  get version(): number {
    return this._trie ? this._trie.version : 0
  }

  get writable(): boolean {
    return !this.isCheckout && !!this.metadata?.writable
  }

  get contentWritable(): boolean {
    return this.writable
  }

  ready(): Promise<void> {
    if (!this.opening) this.opening = this.open()
    return this.opening
  }

  private async open(): Promise<void> {
    if (this.checkoutState) {
      const parent = this.checkoutState.parent
      await parent.ready()
      this.metadata = parent.metadata
      this._trie = parent.trie.checkout(this.checkoutState.version)
      this.key = parent.key
      this.discoveryKey = parent.discoveryKey
      await this._trie.ready()
      return
    }
    await this.corestore.ready()
    const metadata = this.corestore.default({
      key: this.key,
      sparse: this.sparseMetadata,
      keyPair: this.options.keyPair ?? null,
    })
    await metadata.ready()
    this.metadata = metadata
    const createTrie = this.options.createTrie ?? defaultTrieFactory
    const trie = createTrie(this.corestore, metadata, {
      sparse: this.sparseMetadata,
      subtype: this.subtype,
      extension: this.options.extension ?? DEFAULTS.extension,
    })
    if (metadata.writable && metadata.length === 0) {
      // First open: the content core is named after the metadata key, and its key goes into
      // the trie header (block 0), exactly as hyperdrive@10 records it.
      const content = this.corestore.get({
        name: `${metadata.key!.toString('hex')}-content`,
        sparse: this.sparse,
      })
      await content.ready()
      this.contentCores.set(metadata, content)
      trie.setMetadata(content.key!)
      await trie.ready()
    } else {
      await trie.ready()
      if (await metadata.has(0)) await this.contentCores.get(trie)
    }
    this._trie = trie
    this.key = metadata.key
    this.discoveryKey = metadata.discoveryKey
    metadata.on('append', this.onappend)
    if (this.listenerCount('update') > 0) this.followUpdates()
    this.on('newListener', (event: string) => {
      if (event === 'update') this.followUpdates()
    })
    this.emit('ready')
  }

  private following = false

  /**
   * A sparse reader hears of new metadata only by asking: while someone listens to 'update',
   * keep one long-poll update open on the metadata core (hypertrie's watchers do the same).
   */
  private followUpdates(): void {
    const metadata = this.metadata
    if (this.following || !metadata || metadata.writable || !metadata.update || this.isCheckout)
      return
    this.following = true
    const loop = (): void => {
      if (this.closing || this.listenerCount('update') === 0) {
        this.following = false
        return
      }
      metadata.update!({ ifAvailable: false }).then(loop, () => {
        this.following = false
      })
    }
    loop()
  }

  private readonly onappend = (): void => {
    this.emit('update')
  }

  close(): Promise<void> {
    if (!this.closing) this.closing = this.shutdown()
    return this.closing
  }

  private async shutdown(): Promise<void> {
    if (this.opening) await this.opening.catch(() => {})
    for (const w of this.watchers) w.destroy()
    this.watchers.clear()
    if (this.isCheckout) return
    if (this.metadata) this.metadata.removeListener('append', this.onappend)
    if (this._trie) await this._trie.close()
    if (this.ownsCorestore) await this.corestore.close()
    this.emit('close')
  }

  /** The content core of this drive (null until its header is known). */
  async getContent(): Promise<DriveCore | null> {
    await this.ready()
    if (!(await this.metadata!.has(0))) return null
    return this.contentCores.get(this.trie)
  }

  // ---- stat ----------------------------------------------------------------------------

  private async lstatLocated(name: string, file: boolean): Promise<Located> {
    await this.ready()
    const { node, trie, mount, innerPath } = await this.trie.get(toTrieKey(name))
    if (node)
      return {
        stat: Stat.decode(node.value),
        trie: node.trie,
        mount: node.mount,
        innerPath: node.innerPath,
        path: name,
      }
    if (file) throw new FileNotFoundError(name)
    if (name === '/') return { stat: Stat.directory(), trie, mount, innerPath, path: name }
    // An implicit directory: as the original, a directory Stat copied from the first node below.
    for await (const child of this.trie.iterator(toTrieKey(name))) {
      const st = Stat.decode(child.value)
      return {
        stat: Stat.directory({ ...st, mode: 0 }),
        trie: child.trie,
        mount: child.mount,
        innerPath: child.innerPath,
        path: name,
      }
    }
    throw new FileNotFoundError(name)
  }

  private async statLocated(name: string, file: boolean): Promise<Located> {
    let path = name
    for (let depth = 0; depth <= MAX_SYMLINK_DEPTH; depth++) {
      const located = await this.lstatLocated(path, file)
      // Only a real link is followed: an implicit directory copies its first child's Stat, linkname
      // included (as the original), and the original would wrongly follow that copied link.
      if (!located.stat.linkname || !located.stat.isSymbolicLink()) return located
      path = fixName(resolveLinkTarget(path, located.stat.linkname))
    }
    throw new TooManySymlinksError(name)
  }

  /** The Stat at `name`, not following a symlink there. ENOENT when nothing is there. */
  async lstat(name: string): Promise<Stat> {
    return (await this.lstatLocated(fixName(name), false)).stat
  }

  /** The Stat at `name`, following symlinks. ENOENT when nothing is there, ELOOP on cycles. */
  async stat(name: string): Promise<Stat> {
    return (await this.statLocated(fixName(name), false)).stat
  }

  async access(name: string): Promise<void> {
    await this.stat(name)
  }

  /** True when `stat(name)` succeeds. */
  async exists(name: string): Promise<boolean> {
    try {
      await this.stat(name)
      return true
    } catch {
      return false
    }
  }

  /** Which metadata core owns `name`, the mount path it lies under, and that mount's info. */
  async info(
    name: string,
  ): Promise<{ feed: DriveCore; mountPath: string; mountInfo: TrieMountInfo }> {
    await this.ready()
    const path = fixName(name)
    const { trie, mount } = await this.trie.get(toTrieKey(path))
    return { feed: trie.feed, mountPath: fixName(mount.localPath), mountInfo: mount }
  }

  // ---- reading ---------------------------------------------------------------------------

  private async locateFile(name: string): Promise<FileLocation> {
    const located = await this.statLocated(name, true)
    const st = located.stat
    if (st.mount?.hypercore) {
      const core = this.corestore.get({ key: Buffer.from(st.mount.key), sparse: this.sparse })
      await core.ready()
      return {
        core,
        offset: 0,
        blocks: core.length,
        byteOffset: 0,
        size: core.byteLength,
        path: name,
      }
    }
    if (st.isDirectory()) throw new IsDirectoryError(name)
    const core = await this.contentCores.get(located.trie)
    const end = st.offset + st.blocks
    if (end > core.length && !core.writable && core.update) {
      // A remote core may simply not be known that far yet: ask peers once.
      await core.update({ ifAvailable: true, minLength: end }).catch(() => {})
    }
    if (end > core.length) {
      throw new ContentMismatchError(
        `The Stat of ${name} names content blocks up to ${end}, the content core has ${core.length}`,
        name,
      )
    }
    return {
      core,
      offset: st.offset,
      blocks: st.blocks,
      byteOffset: st.byteOffset,
      size: st.size,
      path: name,
    }
  }

  /** A stream of the file's bytes (or a range of them); fetches only the covering blocks. */
  createReadStream(name: string, opts: ReadRangeOptions = {}): FileReadStream {
    const path = fixName(name)
    return new FileReadStream(() => this.locateFile(path), opts)
  }

  /** The whole file (or a range), as a Buffer or, with `encoding`, a string. */
  async readFile(name: string, opts?: ReadFileOptions | BufferEncoding): Promise<Buffer | string> {
    const o: ReadFileOptions = typeof opts === 'string' ? { encoding: opts } : (opts ?? {})
    const chunks: Buffer[] = []
    for await (const chunk of this.createReadStream(name, o)) chunks.push(chunk as Buffer)
    const buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)
    return o.encoding && o.encoding !== 'binary' ? buf.toString(o.encoding) : buf
  }

  // ---- writing ---------------------------------------------------------------------------

  private checkWritable(name: string): void {
    if (this.isCheckout) throw new InvalidPermissionError('A checkout is read-only', name)
    if (!this.writable) throw new InvalidPermissionError('The drive is not writable', name)
  }

  /** The content core of the drive owning `path` (a mounted drive below a mount), locked. */
  private async lockContentFor(path: string): Promise<{ core: DriveCore; release: () => void }> {
    this.checkWritable(path)
    await this.ready()
    // Without mounts every path belongs to this drive: skip the lookup (a drive's mounts are
    // only ever added by its single writer, which is this object).
    const trie = (await this.hasMounts()) ? (await this.trie.get(toTrieKey(path))).trie : this.trie
    if (!trie.feed.writable)
      throw new InvalidPermissionError('The drive owning this path is not writable', path)
    const core = await this.contentCores.get(trie)
    if (!core.writable) throw new InvalidPermissionError('The content core is not writable', path)
    const release = await this.contentCores.lock(core)
    return { core, release }
  }

  private mountsKnown: Promise<boolean> | null = null

  private hasMounts(): Promise<boolean> {
    if (!this.mountsKnown) {
      this.mountsKnown = this.trie.list('mounts', { hidden: true }).then((l) => l.length > 0)
      this.mountsKnown.catch(() => {
        this.mountsKnown = null
      })
    }
    return this.mountsKnown
  }

  /** Puts a file Stat, refusing (EISDIR) to replace a directory node, as fs.writeFile does. */
  private async putFileStat(path: string, stat: Stat): Promise<void> {
    await this.trie.put(toTrieKey(path), stat.encode(), {
      condition: (existing) => {
        if (existing && existing.flags !== 1 && Stat.decode(existing.value).isDirectory()) {
          throw new IsDirectoryError(path)
        }
      },
    })
  }

  private async putStat(path: string, stat: Stat): Promise<void> {
    await this.trie.put(toTrieKey(path), stat.encode())
  }

  private fileStat(
    opts: WriteFileOptions,
    offset: number,
    byteOffset: number,
    core: DriveCore,
  ): Stat {
    return Stat.file({
      mode: opts.mode,
      uid: opts.uid,
      gid: opts.gid,
      mtime: opts.mtime,
      ctime: opts.ctime,
      metadata: opts.metadata,
      offset,
      byteOffset,
      size: core.byteLength - byteOffset,
      blocks: core.length - offset,
    })
  }

  /** Writes a whole file: one append of its blocks (524288 bytes at most each), then its Stat. */
  async writeFile(
    name: string,
    data: Uint8Array | string,
    opts?: WriteFileOptions | BufferEncoding,
  ): Promise<void> {
    const o: WriteFileOptions = typeof opts === 'string' ? { encoding: opts } : (opts ?? {})
    const path = fixName(name)
    const buf = toBuffer(data, o.encoding ?? 'utf-8')
    const { core, release } = await this.lockContentFor(path)
    try {
      const offset = core.length
      const byteOffset = core.byteLength
      await core.append(cutIntoBlocks(buf))
      await this.putFileStat(path, this.fileStat(o, offset, byteOffset, core))
    } finally {
      release()
    }
    this.emit('append', path, o)
  }

  /** A writable stream: every chunk becomes one block; the Stat is put when it finishes. */
  createWriteStream(name: string, opts: WriteFileOptions = {}): FileWriteStream {
    const path = fixName(name)
    return new FileWriteStream(async (): Promise<WriteTarget> => {
      const { core, release } = await this.lockContentFor(path)
      return {
        core,
        release,
        commit: async (offset, byteOffset) => {
          await this.putFileStat(path, this.fileStat(opts, offset, byteOffset, core))
          this.emit('append', path, opts)
        },
      }
    })
  }

  /** An empty file when nothing is at `name` (returns the existing Stat otherwise). */
  async create(name: string, opts: WriteFileOptions = {}): Promise<Stat> {
    const path = fixName(name)
    await this.ready()
    const { node } = await this.trie.get(toTrieKey(path))
    if (node) return Stat.decode(node.value)
    this.checkWritable(path)
    const st = Stat.file({ ...opts })
    await this.putStat(path, st)
    return st
  }

  /**
   * Sets the file's size as hyperdrive@10 does: 0 (or a missing file) creates an empty file if
   * absent and otherwise leaves it alone; smaller re-writes the kept bytes; larger appends zeros.
   */
  async truncate(name: string, size: number): Promise<void> {
    const path = fixName(name)
    if (!Number.isInteger(size) || size < 0)
      throw new InvalidArgumentError(`Invalid size ${size}`, path)
    let st: Stat | null = null
    try {
      st = (await this.lstatLocated(path, true)).stat
    } catch (err) {
      if ((err as { code?: string }).code !== 'ENOENT') throw err
    }
    if (!st || !size) {
      await this.create(path)
      return
    }
    if (size === st.size) return
    const ws = this.createWriteStream(path)
    const source = this.createReadStream(path, { length: Math.min(size, st.size) })
    for await (const chunk of source) {
      if (!ws.write(chunk)) await Writable.drained(ws)
    }
    if (size > st.size) ws.write(Buffer.alloc(size - st.size))
    await new Promise<void>((resolve, reject) => {
      ws.once('error', reject)
      ws.once('close', () => resolve())
      ws.end(undefined)
    })
  }

  async unlink(name: string): Promise<void> {
    const path = fixName(name)
    this.checkWritable(path)
    await this.ready()
    if (!(await this.trie.del(toTrieKey(path)))) throw new FileNotFoundError(path)
  }

  // ---- directories -----------------------------------------------------------------------

  /** Writes a directory Stat; EEXIST when any node is already at `name`. */
  async mkdir(name: string, opts?: MkdirOptions | number): Promise<Stat> {
    const o: MkdirOptions = typeof opts === 'number' ? { mode: opts } : (opts ?? {})
    const path = fixName(name)
    this.checkWritable(path)
    await this.ready()
    const { node, trie } = await this.trie.get(toTrieKey(path))
    if (node) throw new PathAlreadyExistsError(path)
    const content = await this.contentCores.get(trie)
    const st = Stat.directory({ ...o, offset: content.length, byteOffset: content.byteLength })
    await this.putStat(path, st)
    return st
  }

  /** Deletes a directory node: ENOTEMPTY with entries, ENOTDIR on a file, ENOENT without a node. */
  async rmdir(name: string): Promise<void> {
    const path = fixName(name)
    this.checkWritable(path)
    await this.ready()
    const { node } = await this.trie.get(toTrieKey(path))
    if (node && !Stat.decode(node.value).isDirectory()) throw new NotDirectoryError(path)
    for await (const _ of readdirEntries(this.listing, path)) throw new DirectoryNotEmptyError(path)
    if (!node || !(await this.trie.del(toTrieKey(path)))) throw new FileNotFoundError(path)
  }

  private get listing(): ListingSource {
    return {
      trie: this.trie,
      statOrNull: async (p: string) => {
        try {
          const located = await this.statLocated(fixName(p), false)
          return { stat: located.stat, resolvedPath: located.path }
        } catch (err) {
          // A link into nothing or into a loop is left out of listings (the original omits
          // dangling links, and would never finish a loop).
          const code = (err as { code?: string }).code
          if (code === 'ENOENT' || code === 'ELOOP') return null
          throw err
        }
      },
    }
  }

  /** Entry names (or `{ name, path, stat, mount, innerPath }` with includeStats), trie order. */
  async readdir(name: string, opts?: ReaddirOptions & { includeStats?: false }): Promise<string[]>
  async readdir(
    name: string,
    opts: ReaddirOptions & { includeStats: true },
  ): Promise<ReaddirEntry[]>
  async readdir(name: string, opts: ReaddirOptions = {}): Promise<(string | ReaddirEntry)[]> {
    const path = fixName(name)
    await this.ready()
    const out: (string | ReaddirEntry)[] = []
    for await (const e of readdirEntries(this.listing, path, opts)) out.push(e)
    if (out.length === 0 && path !== '/') {
      const { node } = await this.trie.get(toTrieKey(path))
      if (node) {
        const st = Stat.decode(node.value)
        if (!st.isDirectory() && !st.linkname) throw new NotDirectoryError(path)
      }
    }
    return out
  }

  /** Async iterable of readdir entries with stats. */
  createDirectoryStream(
    name: string,
    opts: ReaddirOptions = {},
  ): AsyncGenerator<string | ReaddirEntry> {
    const path = fixName(name)
    const self = this
    return (async function* () {
      await self.ready()
      yield* readdirEntries(self.listing, path, { ...opts, includeStats: true })
    })()
  }

  // ---- symlinks --------------------------------------------------------------------------

  /** Stores a link at `linkName` to `target` (kept as given, unixified). EEXIST if taken. */
  async symlink(target: string, linkName: string): Promise<void> {
    const path = fixName(linkName)
    this.checkWritable(path)
    await this.ready()
    const { node } = await this.trie.get(toTrieKey(path))
    if (node) throw new PathAlreadyExistsError(path)
    await this.putStat(path, Stat.symlink({ linkname: unixify(target) }))
  }

  async readlink(name: string): Promise<string> {
    const st = await this.lstat(name)
    if (!st.linkname)
      throw new InvalidArgumentError(`Not a symbolic link: '${fixName(name)}'`, fixName(name))
    return st.linkname
  }

  // ---- metadata --------------------------------------------------------------------------

  private async updateStat(name: string, patch: { metadata: StatMetadata }): Promise<void> {
    const path = fixName(name)
    this.checkWritable(path)
    await this.ready()
    const { node } = await this.trie.get(toTrieKey(path))
    if (!node) throw new FileNotFoundError(path)
    const st = Stat.decode(node.value)
    st.metadata = Object.assign({}, st.metadata ?? {}, patch.metadata)
    // Keep the node's flags (a mount point stays a mount point), as the original.
    await this.trie.put(toTrieKey(path), st.encode(), { flags: node.flags })
  }

  setMetadata(name: string, key: string, value: Uint8Array | string): Promise<void> {
    return this.updateStat(name, { metadata: { [key]: value } })
  }

  /** Keeps a key-only entry (decodes as null), as the original stores it. */
  removeMetadata(name: string, key: string): Promise<void> {
    return this.updateStat(name, { metadata: { [key]: null } })
  }

  /** A metadata-only copy: `to` points at the same content blocks as `from`. */
  async copy(from: string, to: string): Promise<Stat> {
    const st = await this.stat(from)
    const path = fixName(to)
    await this.ready()
    const { node } = await this.trie.get(toTrieKey(path))
    if (node) return Stat.decode(node.value)
    this.checkWritable(path)
    const copy = Stat.file(st)
    await this.putStat(path, copy)
    return copy
  }

  // ---- mounts ----------------------------------------------------------------------------

  /** Mounts the drive (or, with `hypercore: true`, the core) with public key `key` at `name`. */
  async mount(name: string, key: Uint8Array | string, opts: MountOptions = {}): Promise<void> {
    const path = fixName(name)
    const mountKey = toKey(key)!
    this.checkWritable(path)
    await this.ready()
    const { node, trie } = await this.trie.get(toTrieKey(path))
    if (node) throw new PathAlreadyExistsError(path)
    const content = await this.contentCores.get(trie)
    const mount = {
      key: mountKey,
      version: opts.version,
      hash: opts.hash,
      hypercore: !!opts.hypercore,
    }
    if (opts.hypercore) {
      const core = this.corestore.get({ key: mountKey, sparse: this.sparse })
      await core.ready()
      const st = Stat.file({
        uid: opts.uid,
        gid: opts.gid,
        mount,
        size: core.byteLength,
        blocks: core.length,
        offset: content.length,
        byteOffset: content.byteLength,
      })
      await this.putStat(path, st)
      return
    }
    const st = Stat.directory({
      uid: opts.uid,
      gid: opts.gid,
      mount,
      offset: content.length,
      byteOffset: content.byteLength,
    })
    this.mountsKnown = Promise.resolve(true)
    await this.trie.mount(toTrieKey(path), mountKey, {
      value: st.encode(),
      version: opts.version,
      remotePath: opts.remotePath,
    })
  }

  async unmount(name: string): Promise<void> {
    const path = fixName(name)
    this.checkWritable(path)
    const st = await this.stat(path)
    if (!st.mount) throw new InvalidArgumentError('Can only unmount mounts.', path)
    if (st.mount.hypercore) await this.unlink(path)
    else await this.trie.unmount(toTrieKey(path))
  }

  /** `/` and every mount (recursively with `recursive`) with their metadata and content cores. */
  async getAllMounts(
    opts: { recursive?: boolean; content?: boolean } = {},
  ): Promise<Map<string, MountEntry>> {
    await this.ready()
    const mounts = new Map<string, MountEntry>()
    mounts.set('/', {
      metadata: this.metadata!,
      content: await this.contentOf(this.trie, !!opts.content),
    })
    for await (const { path, trie } of this.trie.mountIterator({ recursive: opts.recursive })) {
      mounts.set(fixName(path), {
        metadata: trie.feed,
        content: await this.contentOf(trie, !!opts.content),
      })
    }
    return mounts
  }

  private async contentOf(trie: DriveTrie, load: boolean): Promise<DriveCore | null> {
    const cached = this.contentCores.peek(trie.feed)
    if (cached) return cached
    if (load || (await trie.feed.has(0))) return this.contentCores.get(trie)
    return null
  }

  /** Async iterable of `{ path, metadata, content }` for `/` and every mount. */
  async *createMountStream(opts: { recursive?: boolean; content?: boolean } = {}): AsyncGenerator<{
    path: string
    metadata: DriveCore
    content: DriveCore | null
  }> {
    for (const [path, m] of await this.getAllMounts(opts)) yield { path, ...m }
  }

  /**
   * Block counts of a file, or of every file below a directory (a Map of path to counts), as
   * the original's stats(): `{ blocks, size, downloadedBlocks }`.
   */
  async stats(
    name: string,
    opts: { recursive?: boolean } = {},
  ): Promise<FileStats | Map<string, FileStats>> {
    const path = fixName(name)
    const located = await this.statLocated(path, false)
    const count = async (st: Stat, trie: DriveTrie): Promise<FileStats> => {
      const core = await this.contentCores.get(trie)
      let downloadedBlocks = 0
      if (core.downloaded)
        downloadedBlocks = await core.downloaded(st.offset, st.offset + st.blocks)
      else
        for (let i = st.offset; i < st.offset + st.blocks; i++)
          if (await core.has(i)) downloadedBlocks++
      return { blocks: st.blocks, size: st.size, downloadedBlocks }
    }
    if (!located.stat.isDirectory()) return count(located.stat, located.trie)
    const out = new Map<string, FileStats>()
    const recursive = opts.recursive !== false
    for await (const e of statEntries(this.listing, path, {
      recursive,
      noMounts: false,
      gt: false,
    })) {
      if (e.stat.isDirectory() || e.stat.linkname || e.stat.mount) continue
      out.set(e.path, await count(e.stat, e.trie))
    }
    return out
  }

  /** Keeps every core of the drive and its mounts fully downloaded; returns the undo function. */
  async mirror(): Promise<() => void> {
    const ranges: [DriveCore, unknown][] = []
    for (const { metadata, content } of (
      await this.getAllMounts({ recursive: true, content: true })
    ).values()) {
      for (const core of [metadata, content]) {
        if (core?.download) ranges.push([core, core.download({ start: 0, end: -1 })])
      }
    }
    return () => {
      for (const [core, range] of ranges) core.undownload?.(range as never)
    }
  }

  /** Drops the local copy of a file's blocks (or of every file below a directory). */
  async clear(name: string, opts: { recursive?: boolean } = {}): Promise<void> {
    const stats = await this.stats(name, opts)
    const path = fixName(name)
    const entries = stats instanceof Map ? [...stats.keys()] : [path]
    for (const p of entries) {
      const located = await this.statLocated(p, true)
      const core = await this.contentCores.get(located.trie)
      if (core.clear && located.stat.blocks) {
        await core.clear(located.stat.offset, located.stat.offset + located.stat.blocks)
      }
    }
  }

  /** Registers a protocol extension on the metadata core (as the original's registerExtension). */
  registerExtension(name: string, handlers: CoreExtensionHandlers): CoreExtensionChannel {
    if (!this.metadata?.registerExtension) {
      throw new InvalidArgumentError(
        'The metadata core does not support extensions (is the drive ready?)',
      )
    }
    return this.metadata.registerExtension(name, handlers)
  }

  // ---- versions --------------------------------------------------------------------------

  /** A read-only drive at metadata version `version`, usable at once (it readies lazily). */
  checkout(version: number): Hyperdrive {
    if (!Number.isInteger(version) || version < 0)
      throw new InvalidArgumentError(`Invalid version ${version}`)
    const opts = {
      ...this.options,
      _checkout: { parent: this, version, contentCores: this.contentCores },
    }
    return new Hyperdrive(this.corestore, this.key, opts)
  }

  /** Tags `version` (default: the current version, before the tag's own block). */
  async createTag(name: string, version?: number | null): Promise<void> {
    const key = tagKey(name)
    this.checkWritable('/')
    await this.ready()
    const v = version ?? this.version
    await this.trie.put(key, encodeTagVersion(v), { hidden: true })
  }

  async getTaggedVersion(name: string): Promise<number | null> {
    const key = tagKey(name)
    await this.ready()
    const { node } = await this.trie.get(key, { hidden: true })
    return node ? decodeTagVersion(node.value) : null
  }

  async deleteTag(name: string): Promise<void> {
    const key = tagKey(name)
    this.checkWritable('/')
    await this.ready()
    await this.trie.del(key, { hidden: true })
  }

  /** Map of tag name to version; an empty array when there are none, as the original. */
  async getAllTags(): Promise<Map<string, number> | []> {
    await this.ready()
    const nodes = await this.trie.list(TAGS_PREFIX, { hidden: true })
    if (nodes.length === 0) return []
    const tags = new Map<string, number>()
    for (const node of nodes) tags.set(tagName(node.key), decodeTagVersion(node.value))
    return tags
  }

  /** Changes between `other` (a version or a drive) and this version, below `prefix`. */
  createDiffStream(other: number | Hyperdrive, prefix = '/'): DiffStream {
    const otherVersion = other instanceof Hyperdrive ? other.version : other
    return new DiffStream(async () => {
      await this.ready()
      return this.trie.diff(otherVersion, toTrieKey(fixName(prefix)))
    })
  }

  /** Calls `onchange` when anything at or below `name` changes (mounted drives included). */
  watch(name: string, onchange: () => void): TrieWatcher {
    const path = fixName(name)
    let inner: TrieWatcher | null = null
    let destroyed = false
    const handle: TrieWatcher = {
      destroy: () => {
        destroyed = true
        inner?.destroy()
        this.watchers.delete(handle)
      },
    }
    this.watchers.add(handle)
    this.ready().then(
      () => {
        if (!destroyed) inner = this.trie.watch(toTrieKey(path), onchange)
      },
      (err) => this.emit('error', err),
    )
    return handle
  }

  // ---- networking ------------------------------------------------------------------------

  /** One replication stream for the metadata, content and mounted cores of the corestore. */
  replicate(isInitiator: boolean, opts: object = {}): ReplicationStream {
    return this.corestore.replicate(isInitiator, opts)
  }

  /** Fetches every block of the file (or, with `recursive`, every file below `name`). */
  download(
    name = '/',
    opts: DownloadOptions = {},
  ): Promise<DownloadProgress> & {
    on(event: 'progress', fn: (p: DownloadProgress) => void): unknown
    destroy(): void
  } {
    const path = fixName(name)
    const events = new EventEmitter()
    const abort = new AbortController()
    const promise = (async () => {
      await this.ready()
      const located = await this.statLocated(path, false)
      const files: { path: string; stat: Stat; trie: DriveTrie }[] = []
      if (!located.stat.isDirectory()) files.push({ path, stat: located.stat, trie: located.trie })
      else {
        const recursive = opts.recursive !== false
        for await (const e of statEntries(this.listing, path, {
          recursive,
          noMounts: !!opts.noMounts,
          gt: false,
        })) {
          if (!e.stat.blocks || e.stat.mount || e.stat.isDirectory() || e.stat.linkname) continue
          files.push({ path: e.path, stat: e.stat, trie: e.trie })
        }
      }
      return downloadFiles(
        files,
        (trie) => this.contentCores.get(trie),
        { ...opts, signal: abort.signal },
        (p) => events.emit('progress', p),
      )
    })()
    promise.catch(() => {})
    return Object.assign(promise, {
      on: (event: 'progress', fn: (p: DownloadProgress) => void) => events.on(event, fn),
      destroy: () => abort.abort(),
    })
  }
}

export type { DiffEntry }
