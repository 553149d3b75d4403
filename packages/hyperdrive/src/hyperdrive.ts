// The Hyperdrive class: a POSIX-like filesystem over a mount-aware metadata trie and a content
// core per drive, with hyperdrive@10's on-disk layout and promise versions of its methods.
// Opening, closing and updates live here; each method family is in its own drive-*.ts module.
import { EventEmitter } from 'node:events'
import { ContentCores } from './content-cores.js'
import type { ReadRangeOptions } from './content-range.js'
import { type StorageFunction, defaultCorestore, defaultTrieFactory } from './default-backend.js'
import { type DiffEntry, DiffStream } from './diff-stream.js'
import type { DownloadOptions } from './download.js'
import { type TimeLike, changeMode, changeOwner, changeTimes } from './drive-attributes.js'
import type {
  CoreExtensionChannel,
  CoreExtensionHandlers,
  DriveCore,
  DriveCorestore,
  DriveTrie,
  ReplicationStream,
  TrieMountInfo,
  TrieWatcher,
} from './drive-backend.js'
import type { DriveContext } from './drive-context.js'
import {
  directoryEntries,
  listDirectory,
  makeDirectory,
  removeDirectory,
} from './drive-directories.js'
import {
  createFile,
  fileWriteStream,
  locateFile,
  readFileBytes,
  truncateFile,
  unlinkFile,
  writeFileBytes,
} from './drive-files.js'
import { copyFile, makeSymlink, readSymlink, updateMetadata } from './drive-links.js'
import { allMounts, mountAt, unmountAt } from './drive-mounts.js'
import {
  type DownloadHandle,
  clearFiles,
  downloadPath,
  fileStats,
  mirrorAll,
} from './drive-network.js'
import type {
  FileStats,
  HyperdriveOptions,
  MkdirOptions,
  MountEntry,
  MountOptions,
  ReadFileOptions,
  WriteFileOptions,
} from './drive-options.js'
import { lstatLocated, statOf } from './drive-stat.js'
import { createTag, deleteTag, getAllTags, getTaggedVersion, watchPath } from './drive-versions.js'
import { InvalidArgumentError, InvalidPermissionError } from './errors.js'
import { FdTable } from './fd-table.js'
import { fixName, toTrieKey } from './paths.js'
import { FileReadStream } from './read-stream.js'
import type { ReaddirEntry, ReaddirOptions } from './readdir.js'
import { StatCache } from './stat-cache.js'
import { Stat } from './stat.js'
import { StatsWatcher, type WatchStatsOptions } from './stats-watch.js'
import type { FileWriteStream } from './write-stream.js'

const DEFAULTS = {
  sparse: true,
  sparseMetadata: true,
  extension: true,
  subtype: 'hyperdrive',
} as const

interface CheckoutState {
  parent: Hyperdrive
  version: number
  contentCores: ContentCores
}

function noop(): void {}

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

function encodingOf<T extends { encoding?: unknown }>(opts: T | BufferEncoding | undefined): T {
  return typeof opts === 'string' ? ({ encoding: opts } as T) : (opts ?? ({} as T))
}

export class Hyperdrive extends EventEmitter implements DriveContext {
  readonly corestore: DriveCorestore
  key: Buffer | null
  discoveryKey: Buffer | null = null
  readonly sparse: boolean
  readonly sparseMetadata: boolean
  readonly subtype: string
  readonly isCheckout: boolean
  metadata: DriveCore | null = null
  /** @internal The content core of each metadata core, shared with checkouts. */
  readonly contentCores: ContentCores
  /** @internal Watch handles to destroy on close. */
  readonly watchers = new Set<TrieWatcher>()
  private readonly statsWatchers = new Set<StatsWatcher>()
  private readonly fds: FdTable = new FdTable(this)
  private _trie: DriveTrie | null = null
  private _statCache: StatCache | null = null
  private readonly options: HyperdriveOptions
  private readonly ownsCorestore: boolean
  private readonly checkoutState: CheckoutState | null
  private opening: Promise<void> | null = null
  private closing: Promise<void> | null = null
  private mountsKnown: Promise<boolean> | null = null
  private following = false

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
  }

  /** The metadata trie (mount-aware); available after ready(). */
  get trie(): DriveTrie {
    if (!this._trie)
      throw new InvalidArgumentError('The drive is not ready yet; await drive.ready()')
    return this._trie
  }

  /**
   * @internal Stat bytes of recent lookups and writes, for a writer or a checkout (a replica's
   * lookups ask peers for news every time, as the original's, so they are not cached).
   */
  get statCache(): StatCache | null {
    if (this._statCache === null && this._trie && (this.isCheckout || this.writable))
      this._statCache = new StatCache()
    return this._statCache
  }

  /** @internal The trie once the drive is open, else null. */
  get openTrie(): DriveTrie | null {
    return this._trie
  }

  /** Metadata version: the metadata core length (1 for a new drive: its header). */
  get version(): number {
    return this._trie ? this._trie.version : 0
  }

  get writable(): boolean {
    return !this.isCheckout && !!this.metadata?.writable
  }

  /** The metadata core's connected peers (as the original's `peers`). */
  get peers(): readonly unknown[] {
    return this.metadata?.peers ?? []
  }

  get contentWritable(): boolean {
    return this.writable
  }

  ready(): Promise<void> {
    if (!this.opening) this.opening = this.openDrive()
    return this.opening
  }

  private async openDrive(): Promise<void> {
    if (this.checkoutState) {
      const parent = this.checkoutState.parent
      await parent.ready()
      this.metadata = parent.metadata
      const trie = parent.trie.checkout(this.checkoutState.version)
      this.key = parent.key
      this.discoveryKey = parent.discoveryKey
      await trie.ready()
      this._trie = trie
      return
    }
    await this.corestore.ready()
    const metadata = this.corestore.default({
      key: this.key,
      sparse: this.sparseMetadata,
      keyPair: this.options.keyPair ?? null,
      allowPush: true,
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
      // As the original, start opening the content core (a replica first fetches the header
      // naming it) without waiting: the first lookup reads metadata meanwhile, and reads and
      // writes wait for it (a failed open is retried by the next one).
      this.contentCores.get(trie).catch(noop)
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

  /** Closes the drive; with `fd`, closes that open file instead (committing its writes). */
  close(fd?: number): Promise<void> {
    if (typeof fd === 'number') return this.closeFile(fd)
    if (!this.closing) this.closing = this.shutdown()
    return this.closing
  }

  private async closeFile(fd: number): Promise<void> {
    await this.fds.close(fd)
  }

  private async shutdown(): Promise<void> {
    if (this.opening) await this.opening.catch(() => {})
    // Files still open commit their writes first; a failure is thrown once the drive is closed.
    const unwritten = await this.fds.closeAll().then(
      () => null,
      (err: Error) => err,
    )
    for (const w of this.watchers) w.destroy()
    this.watchers.clear()
    for (const w of this.statsWatchers) w.destroy()
    if (this.isCheckout) {
      if (unwritten) throw unwritten
      return
    }
    if (this.metadata) this.metadata.removeListener('append', this.onappend)
    if (this._trie) await this._trie.close()
    if (this.ownsCorestore) await this.corestore.close()
    this.emit('close')
    if (unwritten) throw unwritten
  }

  /** @internal Whether the drive has mounts (looked up once; mount() by this writer sets it). */
  hasMounts(): Promise<boolean> {
    if (!this.mountsKnown) {
      const known = this.trie.list('mounts', { hidden: true }).then((l) => l.length > 0)
      this.mountsKnown = known
      known.catch(() => {
        if (this.mountsKnown === known) this.mountsKnown = null
      })
    }
    return this.mountsKnown
  }

  /** @internal */
  markMounted(): void {
    this.mountsKnown = Promise.resolve(true)
  }

  /** The content core of this drive (null until its header is known). */
  async getContent(): Promise<DriveCore | null> {
    await this.ready()
    if (!(await this.metadata!.has(0))) return null
    return this.contentCores.get(this.trie)
  }

  // ---- stat ----------------------------------------------------------------------------

  /** The Stat at `name`, not following a symlink there. ENOENT when nothing is there. */
  async lstat(name: string): Promise<Stat> {
    const path = fixName(name)
    return this.withWrittenSize(path, (await lstatLocated(this, path, false)).stat)
  }

  /** The Stat at `name`, following symlinks. ENOENT when nothing is there, ELOOP on cycles. */
  stat(name: string): Promise<Stat> {
    try {
      const path = fixName(name)
      const stat = statOf(this, path)
      return this.fds.writing ? stat.then((st) => this.withWrittenSize(path, st)) : stat
    } catch (err) {
      return Promise.reject(err)
    }
  }

  /** `st` with the size an open descriptor's uncommitted writes reached (as the original). */
  private withWrittenSize(path: string, st: Stat): Stat {
    const size = this.fds.writtenSize(path)
    if (size === null || size === st.size) return st
    const sized = new Stat(st)
    sized.size = size
    return sized
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
    const { trie, mount } = await this.trie.get(toTrieKey(fixName(name)))
    return { feed: trie.feed, mountPath: fixName(mount.localPath), mountInfo: mount }
  }

  // ---- files -----------------------------------------------------------------------------

  /** A stream of the file's bytes (or a range of them); fetches only the covering blocks. */
  createReadStream(name: string, opts: ReadRangeOptions = {}): FileReadStream {
    const path = fixName(name)
    return new FileReadStream(() => locateFile(this, path), opts)
  }

  /** The whole file (or a range), as a Buffer or, with `encoding`, a string. */
  async readFile(name: string, opts?: ReadFileOptions | BufferEncoding): Promise<Buffer | string> {
    const o = encodingOf<ReadFileOptions>(opts)
    const buf = await readFileBytes(this, fixName(name), o)
    return o.encoding && o.encoding !== 'binary' ? buf.toString(o.encoding) : buf
  }

  /** Writes a whole file: one append of its blocks (524288 bytes at most each), then its Stat. */
  async writeFile(
    name: string,
    data: Uint8Array | string,
    opts?: WriteFileOptions | BufferEncoding,
  ): Promise<void> {
    return writeFileBytes(this, fixName(name), data, encodingOf<WriteFileOptions>(opts))
  }

  /** A writable stream: every chunk becomes one block; the Stat is put when it finishes. */
  createWriteStream(name: string, opts: WriteFileOptions = {}): FileWriteStream {
    return fileWriteStream(this, fixName(name), opts)
  }

  /** An empty file when nothing is at `name` (returns the existing Stat otherwise). */
  async create(name: string, opts: WriteFileOptions = {}): Promise<Stat> {
    return createFile(this, fixName(name), opts)
  }

  /**
   * Sets the file's size as hyperdrive@10 does: 0 (or a missing file) creates an empty file if
   * absent and otherwise leaves it alone; smaller re-writes the kept bytes; larger appends zeros.
   */
  async truncate(name: string, size: number): Promise<void> {
    return truncateFile(this, fixName(name), size)
  }

  // ---- file descriptors ------------------------------------------------------------------

  /**
   * Opens a file as open(2) does, resolving its descriptor: `flags` as fs takes them ('r', 'r+',
   * 'w', 'wx', 'a', 'a+'... or O_* bits). Writes go where the file's bytes end and are committed
   * at close (as hyperdrive@10). ENOENT, EEXIST (with x), EISDIR, EPERM (writing a read-only drive).
   */
  async open(name: string, flags: string | number = 'r'): Promise<number> {
    await this.ready()
    return this.fds.open(fixName(name), flags)
  }

  /** Reads into `buffer` from the descriptor's position (or `position`), as fs.read. */
  async read<B extends Uint8Array>(
    fd: number,
    buffer: B,
    offset = 0,
    length = buffer.byteLength - offset,
    position: number | null = null,
  ): Promise<{ bytesRead: number; buffer: B }> {
    checkBufferRange(buffer, offset, length, position)
    const bytesRead = await this.fds.get(fd).read(buffer, offset, length, position)
    return { bytesRead, buffer }
  }

  /**
   * Writes `length` bytes of `buffer` from `offset`, as fs.write; only where the file's bytes end
   * (EBADF for a random-access write, not supported yet).
   */
  async write<B extends Uint8Array>(
    fd: number,
    buffer: B,
    offset = 0,
    length = buffer.byteLength - offset,
    position: number | null = null,
  ): Promise<{ bytesWritten: number; buffer: B }> {
    checkBufferRange(buffer, offset, length, position)
    const bytesWritten = await this.fds.get(fd).write(buffer, offset, length, position)
    return { bytesWritten, buffer }
  }

  /** Sets the size of the open file `fd` (as truncate; not while it has unclosed writes). */
  async ftruncate(fd: number, size = 0): Promise<void> {
    await this.fds.get(fd).truncate(size)
  }

  async unlink(name: string): Promise<void> {
    return unlinkFile(this, fixName(name))
  }

  // ---- directories -----------------------------------------------------------------------

  /** Writes a directory Stat; EEXIST when any node is already at `name`. */
  async mkdir(name: string, opts?: MkdirOptions | number): Promise<Stat> {
    const o: MkdirOptions = typeof opts === 'number' ? { mode: opts } : (opts ?? {})
    return makeDirectory(this, fixName(name), o)
  }

  /** Deletes a directory node: ENOTEMPTY with entries, ENOTDIR on a file, ENOENT without a node. */
  async rmdir(name: string): Promise<void> {
    return removeDirectory(this, fixName(name))
  }

  /** Entry names (or `{ name, path, stat, mount, innerPath }` with includeStats), trie order. */
  async readdir(name: string, opts?: ReaddirOptions & { includeStats?: false }): Promise<string[]>
  async readdir(
    name: string,
    opts: ReaddirOptions & { includeStats: true },
  ): Promise<ReaddirEntry[]>
  async readdir(name: string, opts: ReaddirOptions = {}): Promise<(string | ReaddirEntry)[]> {
    return listDirectory(this, fixName(name), opts)
  }

  /** Async iterable of readdir entries with stats. */
  createDirectoryStream(
    name: string,
    opts: ReaddirOptions = {},
  ): AsyncGenerator<string | ReaddirEntry> {
    return directoryEntries(this, fixName(name), opts)
  }

  // ---- symlinks and metadata -------------------------------------------------------------

  /** Stores a link at `linkName` to `target` (kept as given, unixified). EEXIST if taken. */
  async symlink(target: string, linkName: string): Promise<void> {
    return makeSymlink(this, target, fixName(linkName))
  }

  async readlink(name: string): Promise<string> {
    return readSymlink(this, fixName(name))
  }

  async setMetadata(name: string, key: string, value: Uint8Array | string): Promise<void> {
    return updateMetadata(this, fixName(name), { [key]: value })
  }

  /** Keeps a key-only entry (decodes as null), as the original stores it. */
  async removeMetadata(name: string, key: string): Promise<void> {
    return updateMetadata(this, fixName(name), { [key]: null })
  }

  /** Sets the permission bits of the Stat at `name`, keeping its type (as fs.promises.chmod). */
  async chmod(name: string, mode: number): Promise<void> {
    return changeMode(this, fixName(name), mode)
  }

  /** Sets its owner (-1 keeps an id, as chown(2)). */
  async chown(name: string, uid: number, gid: number): Promise<void> {
    return changeOwner(this, fixName(name), uid, gid)
  }

  /** Sets its mtime (Date or seconds; a Stat keeps no atime), as fs.promises.utimes. */
  async utimes(name: string, atime: TimeLike, mtime: TimeLike): Promise<void> {
    return changeTimes(this, fixName(name), atime, mtime)
  }

  /** A metadata-only copy: `to` points at the same content blocks as `from`. */
  async copy(from: string, to: string): Promise<Stat> {
    return copyFile(this, fixName(from), fixName(to))
  }

  // ---- mounts ----------------------------------------------------------------------------

  /** Mounts the drive (or, with `hypercore: true`, the core) with public key `key` at `name`. */
  async mount(name: string, key: Uint8Array | string, opts: MountOptions = {}): Promise<void> {
    return mountAt(this, fixName(name), toKey(key)!, opts)
  }

  async unmount(name: string): Promise<void> {
    return unmountAt(this, fixName(name))
  }

  /** `/` and every mount (recursively with `recursive`) with their metadata and content cores. */
  async getAllMounts(
    opts: { recursive?: boolean; content?: boolean } = {},
  ): Promise<Map<string, MountEntry>> {
    return allMounts(this, opts)
  }

  /** Async iterable of `{ path, metadata, content }` for `/` and every mount. */
  async *createMountStream(opts: { recursive?: boolean; content?: boolean } = {}): AsyncGenerator<{
    path: string
    metadata: DriveCore
    content: DriveCore | null
  }> {
    for (const [path, m] of await allMounts(this, opts)) yield { path, ...m }
  }

  // ---- local copies ----------------------------------------------------------------------

  /**
   * Block counts of a file, or of every file below a directory (a Map of path to counts), as
   * the original's stats(): `{ blocks, size, downloadedBlocks }`.
   */
  async stats(
    name: string,
    opts: { recursive?: boolean } = {},
  ): Promise<FileStats | Map<string, FileStats>> {
    return fileStats(this, fixName(name), opts)
  }

  /**
   * `stats(name, opts)` every `statsInterval` ms (default 2 s): 'update' events, the last result
   * in `stats`, until `destroy()` or the drive closes (as the original's watchStats).
   */
  watchStats(name: string, opts: WatchStatsOptions = {}): StatsWatcher {
    const watcher = new StatsWatcher(() => this.stats(name, opts), opts)
    this.statsWatchers.add(watcher)
    watcher.once('destroy', () => this.statsWatchers.delete(watcher))
    return watcher
  }

  /** Keeps every core of the drive and its mounts fully downloaded; returns the undo function. */
  async mirror(): Promise<() => void> {
    return mirrorAll(this)
  }

  /** Drops the local copy of a file's blocks (or of every file below a directory). */
  async clear(name: string, opts: { recursive?: boolean } = {}): Promise<void> {
    return clearFiles(this, fixName(name), opts)
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
    return createTag(this, name, version)
  }

  async getTaggedVersion(name: string): Promise<number | null> {
    return getTaggedVersion(this, name)
  }

  async deleteTag(name: string): Promise<void> {
    return deleteTag(this, name)
  }

  /** Map of tag name to version; an empty array when there are none, as the original. */
  async getAllTags(): Promise<Map<string, number> | []> {
    return getAllTags(this)
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
    return watchPath(this, fixName(name), onchange)
  }

  // ---- networking ------------------------------------------------------------------------

  /** One replication stream for the metadata, content and mounted cores of the corestore. */
  replicate(isInitiator: boolean, opts: object = {}): ReplicationStream {
    return this.corestore.replicate(isInitiator, opts)
  }

  /** Fetches every block of the file (or, with `recursive`, every file below `name`). */
  download(name = '/', opts: DownloadOptions = {}): DownloadHandle {
    return downloadPath(this, fixName(name), opts)
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

  /** Sends `message` to every peer on the metadata core's extension `name` (as the original). */
  extension(name: string, message: Uint8Array): void {
    if (!this.metadata?.extension) {
      throw new InvalidArgumentError(
        'The metadata core does not support extensions (is the drive ready?)',
      )
    }
    this.metadata.extension(name, message)
  }

  // ---- storage ---------------------------------------------------------------------------

  /**
   * Deletes the local copy of this drive (its metadata and content cores' files), then closes
   * it, as the original's destroyStorage. Mounted drives keep theirs. EPERM on a checkout.
   */
  async destroyStorage(): Promise<void> {
    if (this.isCheckout) throw new InvalidPermissionError('A checkout cannot destroy its drive')
    await this.ready()
    const content = await this.getContent().catch(() => null)
    const cores = [this.metadata!, ...(content ? [content] : [])]
    if (cores.some((core) => !core.destroyStorage)) {
      throw new InvalidArgumentError('The drive cores cannot delete their storage')
    }
    for (const core of cores) await core.destroyStorage!()
    await this.close()
  }
}

/** EINVAL unless [offset, offset + length) lies in `buffer` and `position` is null or a byte. */
function checkBufferRange(
  buffer: Uint8Array,
  offset: number,
  length: number,
  position: number | null,
): void {
  if (!(buffer instanceof Uint8Array)) throw new InvalidArgumentError('buffer must be bytes')
  const ok =
    Number.isInteger(offset) &&
    Number.isInteger(length) &&
    offset >= 0 &&
    length >= 0 &&
    offset + length <= buffer.byteLength &&
    (position === null || (Number.isInteger(position) && position >= 0))
  if (!ok) {
    throw new InvalidArgumentError(
      `Bad range: offset ${offset}, length ${length}, position ${position} of ${buffer.byteLength} bytes`,
    )
  }
}

export type { DiffEntry }
