// What the drive needs from the layers below: a core, a corestore and the mount-aware trie.
// @hyperstack/hypercore and @hyperstack/hypertrie provide them; tests may hand in adapters.
import type { ReplicationStream } from '@hyperstack/hypertrie'

export interface CoreGetOptions {
  wait?: boolean
  timeout?: number
}

export interface CoreSeekOptions {
  start?: number
  end?: number
  wait?: boolean
  timeout?: number
}

/** A seek result: block index and offset inside it (either shape is accepted). */
export type CoreSeekResult = { index: number; offset: number } | [number, number]

export interface CoreExtensionHandlers {
  encoding?: 'binary'
  onmessage(message: Buffer, peer: unknown): void
}

export interface CoreExtensionChannel {
  send(message: Buffer, peer: unknown): void
  broadcast(message: Buffer): void
  destroy?(): void
}

/** The subset of a Hypercore the drive uses (metadata and content cores). */
export interface DriveCore {
  readonly key: Buffer | null
  readonly discoveryKey: Buffer | null
  readonly length: number
  readonly byteLength: number
  readonly writable: boolean
  /** Connected peers (hypercore@9's `peers`). */
  readonly peers?: readonly unknown[]
  /** The most blocks a connected peer announced (unverified until their blocks arrive). */
  readonly remoteLength?: number
  ready(): Promise<void>
  append(blocks: Buffer | Buffer[]): Promise<unknown>
  /** A block; the drive checks at run time that it is bytes. */
  get(index: number, opts?: CoreGetOptions): Promise<unknown>
  /** Whether block `start` (with `end`: every block of [start, end)) is stored locally. */
  has(start: number, end?: number): boolean | Promise<boolean>
  /**
   * The bytes of the stored blocks [start, end) back to back, in one storage read (optional:
   * cores without it are read block by block).
   */
  getRange?(start: number, end: number): Promise<Uint8Array>
  readonly sparse?: boolean
  update?(opts?: { ifAvailable?: boolean; minLength?: number; hash?: boolean }): Promise<unknown>
  registerExtension?(name: string, handlers: CoreExtensionHandlers): CoreExtensionChannel
  /** Sends block `index` to an extension peer that takes pushes; whether it was sent. */
  push?(peer: unknown, index: number): Promise<boolean>
  /** Several pushes whose frames leave together; which ones were sent. */
  pushBatch?(peer: unknown, indexes: readonly number[]): Promise<boolean[]>
  /** Number of blocks stored locally in [start, end). */
  downloaded?(start?: number, end?: number): number | Promise<number>
  /** Starts fetching a range (end -1: keep following the core); cancel with undownload. */
  download?(range: { start?: number; end?: number; linear?: boolean }): unknown
  undownload?(range: never): void
  /** Drops the local copy of blocks [start, end). */
  clear?(start: number, end?: number): Promise<unknown>
  seek(byteOffset: number, opts?: CoreSeekOptions): Promise<CoreSeekResult>
  /** Sends `message` to every peer on the extension registered as `name`. */
  extension?(name: string, message: Uint8Array): void
  /** Closes the core and deletes its files. */
  destroyStorage?(): Promise<void>
  close(): Promise<void>
  on(event: string, listener: (...args: never[]) => void): unknown
  removeListener(event: string, listener: (...args: never[]) => void): unknown
}

export interface CorestoreGetOptions {
  key?: Buffer | string | null
  name?: string
  keyPair?: { publicKey: Buffer; secretKey: Buffer } | null
  sparse?: boolean
  /**
   * Store verified blocks peers send unasked (metadata cores: the trie's lookup answers push the
   * blocks on a key's path, so a remote lookup is one round trip).
   */
  allowPush?: boolean
}

/** The subset of a Corestore the drive uses. */
export interface DriveCorestore {
  ready(): Promise<void>
  default(opts?: CorestoreGetOptions): DriveCore
  get(opts: CorestoreGetOptions): DriveCore
  namespace(name: string): DriveCorestore
  replicate(isInitiator: boolean, opts?: object): ReplicationStream
  close(): Promise<void>
}

export type { ReplicationStream }

/** A mount as the trie resolved it: which trie, mounted where (empty localPath for the root). */
export interface TrieMountInfo {
  key: Buffer
  version: number | null
  localPath: string
  remotePath: string
}

/** One node as the mount-aware trie returns it, annotated with the trie that holds it. */
export interface TrieEntry {
  /** Outer key (relative to the root trie), no leading "/". */
  key: string
  value: Buffer
  seq: number
  /** User flags (stored flags >> 8): 1 for a mount point. */
  flags: number
  trie: DriveTrie
  mount: TrieMountInfo
  innerPath: string
}

export interface TrieGetResult {
  node: TrieEntry | null
  /** The trie that owns the path (the mounted trie when the path is below a mount). */
  trie: DriveTrie
  mount: TrieMountInfo
  innerPath: string
}

export interface TrieIteratorOptions {
  recursive?: boolean
  noMounts?: boolean
  gt?: boolean
  hidden?: boolean
}

export interface TrieDiffEntry {
  type: 'put' | 'del' | 'mount' | 'unmount'
  key: string
  left: { seq: number; value: Buffer } | null
  right: { seq: number } | null
  info?: unknown
}

/** The node a put replaces (null when there is none); throw to refuse the put. */
export type TriePutCondition = (
  existing: { value: Buffer; flags: number } | null,
) => void | Promise<void>

export interface TriePutOptions {
  hidden?: boolean
  flags?: number
  condition?: TriePutCondition | null
}

/** Where a put appended its node: its seq in `trie` (the mounted trie's own, under a mount). */
export interface TriePutResult {
  seq: number
  trie: DriveTrie
}

export interface TrieWatcher {
  destroy(): void
}

export interface TrieMountOptions {
  value?: Buffer
  version?: number
  remotePath?: string
}

/** The mount-aware trie (mountable-hypertrie's job): keys are drive paths without a leading "/". */
export interface DriveTrie {
  readonly feed: DriveCore
  readonly version: number
  ready(): Promise<void>
  /** The header's `metadata` (a drive's content core key), or null when block 0 is unknown. */
  getMetadata(): Promise<Buffer | null>
  /** Sets the header's metadata; must be called before the first ready() of an empty writable feed. */
  setMetadata(metadata: Buffer): void
  get(key: string, opts?: { hidden?: boolean }): Promise<TrieGetResult>
  /** Resolves with where the node went when the trie can tell (see TriePutResult). */
  put(key: string, value: Buffer, opts?: TriePutOptions): Promise<TriePutResult | undefined>
  /** Resolves true when a node was deleted. */
  del(key: string, opts?: { hidden?: boolean }): Promise<boolean>
  iterator(prefix: string, opts?: TrieIteratorOptions): AsyncIterable<TrieEntry>
  list(prefix: string, opts?: { hidden?: boolean }): Promise<TrieEntry[]>
  /**
   * Calls `visit` with the outer key and the node (its value read only when asked for) of every
   * node `iterator` would give, without building entries (names-only listings of huge directories). Resolves false when it cannot
   * (the prefix lies in, or the listing enters, a mounted trie): the caller then discards what
   * was visited and lists through `iterator`. Optional: tries without it use `iterator`.
   */
  scan?(
    prefix: string,
    opts: TrieIteratorOptions,
    visit: (key: string, node: { readonly valueBuffer: Buffer | null }) => void,
  ): Promise<boolean>
  mount(key: string, mountKey: Buffer, opts?: TrieMountOptions): Promise<void>
  unmount(key: string): Promise<void>
  mountIterator(opts?: { recursive?: boolean }): AsyncIterable<{ path: string; trie: DriveTrie }>
  checkout(version: number): DriveTrie
  diff(other: number, prefix: string): AsyncIterable<TrieDiffEntry>
  watch(key: string, onchange: () => void): TrieWatcher
  close(): Promise<void>
}

export interface TrieFactoryOptions {
  sparse: boolean
  subtype: string
  extension: boolean
}

/** Builds the mount-aware trie over a drive's metadata core. */
export type TrieFactory = (
  corestore: DriveCorestore,
  metadata: DriveCore,
  opts: TrieFactoryOptions,
) => DriveTrie

export function seekResult(r: CoreSeekResult): { index: number; offset: number } {
  return Array.isArray(r) ? { index: r[0], offset: r[1] } : r
}
