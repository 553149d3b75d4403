// The public Hypercore class: a signed append-only log on hypercore@9's storage layout. It holds
// the state; opening (open-core), appends (core-appender), peers' blocks (verified-store), proofs
// (proof-loader) and bitfield writes (bitfield-writes) each live in their own file.
import { EventEmitter } from 'node:events'
import type { ProtocolStream } from '@hyperstack/hypercore-protocol'
import type { Readable, Writable } from 'streamx'
import { AppendBatcher } from './append-batcher.js'
import { BitfieldWrites } from './bitfield-writes.js'
import type { Bitfield } from './bitfield.js'
import { BlockReader } from './block-reader.js'
import { type Codec, encodeBlock, toCodec } from './codecs.js'
import { flat } from './commonjs.js'
import { CoreAppender } from './core-appender.js'
import type { CoreReplicator } from './core-replicator.js'
import { type TreeNode, discoveryKey, signable, treeHash, verifySignable } from './crypto.js'
import { cancelDownload, startDownload } from './download-selections.js'
import type { Download, DownloadHandle } from './download.js'
import { emitErrorIfHeard } from './emit-error.js'
import {
  BlockNotAvailableError,
  BlockTooLargeError,
  CancelledError,
  ClosedError,
  InvalidArgumentError,
  InvalidSignatureError,
} from './errors.js'
import {
  type ExtensionPeer,
  type FeedExtension,
  type FeedExtensionHandlers,
  FeedExtensions,
  PUSH_EXTENSION,
} from './feed-extensions.js'
import { MerkleTree } from './merkle-tree.js'
import { givenKeys, openCore } from './open-core.js'
import {
  type AppendOptions,
  type DownloadRange,
  type GetOptions,
  HYPERCORE_DEFAULTS,
  type HypercoreOptions,
  type UpdateOptions,
} from './options.js'
import type { Peer } from './peer.js'
import { ProofLoader } from './proof-loader.js'
import type { Proof, VerifiedPut } from './put.js'
import { audit, recoveryContext } from './recovery.js'
import { type ReplicateOptions, Replicator, replicate } from './replicator.js'
import { seekBytes } from './seek.js'
import {
  CoreStorage,
  type CoreStorage as CoreStorageType,
  type StorageOption,
  toFileFactory,
} from './storage.js'
import { type ReadStreamOptions, createReadStream, createWriteStream } from './streams.js'
import { type CoreStats, type TransferStats, newTransferStats } from './transfer-stats.js'
import {
  type ProofPlan,
  type TreeBits,
  proof as proofPlan,
  digest as treeDigest,
} from './tree-index.js'
import { TreeNodes } from './tree-nodes.js'
import { VerifiedStore } from './verified-store.js'
import { Waiters } from './waiters.js'

export const MAX_BLOCK_SIZE = 8388608

export { HYPERCORE_DEFAULTS } from './options.js'
export type {
  AppendOptions,
  DownloadRange,
  GetOptions,
  HypercoreOptions,
  UpdateOptions,
} from './options.js'
export { Download } from './download.js'
export type { DownloadHandle } from './download.js'

export type { CoreReplicator } from './core-replicator.js'

type HypercoreEvents = {
  ready: []
  append: []
  download: [index: number, data: Buffer, from: unknown]
  /**
   * A peer's block verified against the signed tree, just before it is stored ('download'
   * follows once it is): readers waiting for authentic bytes need not wait for the store.
   */
  verified: [index: number, data: Buffer, from: unknown]
  upload: [index: number, data: Buffer, from: unknown]
  'peer-add': [peer: unknown]
  'peer-remove': [peer: unknown]
  'peer-open': [peer: unknown]
  'peer-error': [err: Error, peer: unknown]
  'remote-update': [peer: unknown]
  sync: []
  clear: [start: number, end: number]
  close: []
  error: [err: Error]
}

/** The most blocks one getBatch returns (each is a promise and a buffer in memory at once). */
const MAX_BATCH_BLOCKS = 1 << 20

export class Hypercore extends EventEmitter<HypercoreEvents> {
  key: Buffer | null
  discoveryKey: Buffer | null
  secretKey: Buffer | null = null
  length = 0
  byteLength = 0
  writable = false
  readonly readable = true
  opened = false
  closed = false
  live: boolean
  readonly sparse: boolean
  downloading: boolean
  uploading: boolean
  readonly maxRequests: number
  /** Blocks and bytes moved to and from peers (null with `stats: false`). */
  readonly transferTotals: TransferStats | null
  /** Set by the replicator: connected peers. */
  peers: Peer[] = []
  /** Download selections the replicator serves. */
  readonly selections: Download[] = []
  /** Waiters for blocks, lengths and byte offsets. */
  readonly waiters = new Waiters()
  replicator: CoreReplicator | null = null
  /** Feed-level extensions (registerExtension). */
  readonly extensions: FeedExtensions
  /** Verified blocks peers send unasked are stored (see `push`). */
  readonly allowPush: boolean
  private ownReplicator: Replicator | null = null

  bitfield: Bitfield | null = null
  storage: CoreStorageType
  private readonly codec: Codec
  private readonly opts: HypercoreOptions
  private openPromise: Promise<void> | null = null
  private closePromise: Promise<void> | null = null
  private readonly appends: AppendBatcher
  /** The writer's append path (data, tree, then coalesced bits and signatures). */
  private readonly appender: CoreAppender
  /** Peers' blocks: verified, then stored. */
  private readonly verifiedStore: VerifiedStore
  /** Bitfield page writes, chained and coalesced. */
  private readonly bitfieldWrites: BitfieldWrites
  /** Proofs and signatures served to peers. */
  private readonly proofs: ProofLoader
  /** Tree nodes, from memory when possible. */
  private readonly nodes: TreeNodes
  /** Block offsets and reads (with read-ahead for sequential readers). */
  private readonly blocks: BlockReader
  private readonly durable: boolean
  private readonly alwaysIfAvailable: boolean

  constructor(
    storage: StorageOption,
    key?: Uint8Array | string | null | HypercoreOptions,
    opts?: HypercoreOptions,
  ) {
    super()
    if (typeof storage !== 'string' && typeof storage !== 'function') {
      throw new InvalidArgumentError('Storage should be a folder path or a function')
    }
    if (key && typeof key === 'object' && !(key instanceof Uint8Array)) {
      opts = key
      key = null
    }
    const o: HypercoreOptions = opts ?? {}
    this.opts = o
    const given = givenKeys(key, o)
    this.key = given.key
    this.secretKey = given.secretKey
    this.discoveryKey = given.key ? discoveryKey(given.key) : null
    this.live = o.live !== false
    this.sparse = o.sparse ?? HYPERCORE_DEFAULTS.sparse
    this.downloading = o.downloading !== false
    this.uploading = o.uploading ?? HYPERCORE_DEFAULTS.uploading
    this.maxRequests = o.maxRequests ?? HYPERCORE_DEFAULTS.maxRequests
    this.transferTotals = o.stats === false ? null : newTransferStats()
    this.durable = o.durable ?? HYPERCORE_DEFAULTS.durable
    this.alwaysIfAvailable = o.ifAvailable ?? HYPERCORE_DEFAULTS.ifAvailable
    this.codec = toCodec(o.valueEncoding)
    this.storage = new CoreStorage(toFileFactory(storage))
    this.nodes = new TreeNodes(
      this.storage,
      () => this.treeBits,
      () => 2 * this.length - 1,
    )
    this.blocks = new BlockReader(
      this.storage,
      this.nodes,
      () => this.bitfield as Bitfield,
      () => this.length,
    )
    this.bitfieldWrites = new BitfieldWrites(this)
    this.appender = new CoreAppender(this, this.blocks, this.bitfieldWrites, o)
    this.verifiedStore = new VerifiedStore(
      this,
      this.nodes,
      this.blocks,
      this.appender,
      this.bitfieldWrites,
    )
    this.proofs = new ProofLoader(this, this.nodes, this.appender)
    this.appends = new AppendBatcher(
      () => this.ready(),
      (batch) => this.appender.write(batch),
    )
    this.extensions = new FeedExtensions(() => this.replicatorPeers())
    this.allowPush = o.allowPush ?? HYPERCORE_DEFAULTS.allowPush
    if (this.allowPush) this.extensions.add(PUSH_EXTENSION, {})
    if (!this.sparse) this.download({ start: 0, end: -1 }).selection.implicit = true
    // Open right away, as the original does; errors surface through ready() and every operation.
    this.ready().catch((err: Error) => emitErrorIfHeard(this, err))
  }

  /** Opens storage (idempotent). */
  ready(): Promise<void> {
    if (!this.openPromise) this.openPromise = this.open()
    return this.openPromise
  }

  private async open(): Promise<void> {
    const { length, byteLength, roots } = await openCore(this, this.opts)
    this.length = length
    this.byteLength = byteLength
    if (this.writable) this.appender.merkle = new MerkleTree(roots)
    for (const r of roots) this.nodes.remember(r)
    this.opened = true
    this.emit('ready')
  }

  // --- append ---

  /** Appends one block or a list of blocks; resolves with the index of the first one. */
  append(value: unknown, opts: AppendOptions = {}): Promise<number> {
    const list = Array.isArray(value) ? value : [value]
    let blocksOut: Buffer[]
    try {
      blocksOut = new Array(list.length)
      for (let i = 0; i < list.length; i++) {
        const b = encodeBlock(this.codec, list[i])
        if (b.length > MAX_BLOCK_SIZE)
          throw new BlockTooLargeError('Individual blocks has be less than 8MB')
        blocksOut[i] = b
      }
    } catch (err) {
      return Promise.reject(err)
    }
    if (this.closed || this.closePromise)
      return Promise.reject(new ClosedError('Hypercore is closed'))
    return this.appends.push(blocksOut, !!opts.durable || this.durable)
  }

  /** Makes every append so far durable (one fsync for all of them). */
  async flush(): Promise<void> {
    await this.ready()
    await this.appends.idle()
    await this.settleSignatures()
    await this.syncBitfield()
    await this.bitfieldWrites.chain
    await this.storage.sync()
  }

  /** Waits until every signature made so far is written. */
  async settleSignatures(): Promise<void> {
    await this.appender.signatures?.settle()
  }

  /** Writes the changed bitfield pages (after the data, tree and signatures they describe). */
  syncBitfield(): Promise<void> {
    return this.bitfieldWrites.sync()
  }

  get treeBits(): TreeBits {
    return this.bitfield as Bitfield
  }

  // --- reading ---

  /** A stored tree node (throws ERR_CORRUPT_STORAGE when absent). */
  getNode(index: number): Promise<TreeNode> {
    return this.nodes.get(index)
  }

  /** Byte offset and size of stored block `index` in the data file. */
  dataOffset(index: number): Promise<{ offset: number; size: number }> {
    return this.blocks.locate(index)
  }

  /**
   * The raw bytes of a stored block (no waiting). Small blocks may come back as a view into the
   * read-ahead window (`copy` makes them standalone, for callers that keep them).
   */
  getBuffer(index: number, copy = false): Promise<Buffer> {
    return this.blocks.read(index, copy)
  }

  /**
   * The bytes of blocks [start, end) back to back, in one storage read (a big file's read stream
   * takes many blocks at once). Every block must be stored: ERR_BLOCK_NOT_AVAILABLE otherwise.
   */
  async getRange(start: number, end: number): Promise<Buffer> {
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start)
      throw new InvalidArgumentError(`Invalid block range [${start}, ${end})`)
    await this.ready()
    if (this.closed) throw new ClosedError('Hypercore is closed')
    if (end === start) return Buffer.alloc(0)
    if (!this.has(start, end))
      throw new BlockNotAvailableError(`Blocks [${start}, ${end}) are not all available locally`)
    return this.blocks.readRange(start, end)
  }

  /** Block `index`, decoded; waits for peers when missing unless `wait: false`. */
  async get(index: number, opts: GetOptions = {}): Promise<unknown> {
    if (!Number.isSafeInteger(index) || index < 0)
      throw new InvalidArgumentError(`Invalid block index ${index}`)
    await this.ready()
    if (this.closed) throw new ClosedError('Hypercore is closed')
    const codec = opts.valueEncoding ? toCodec(opts.valueEncoding) : this.codec
    const bitfield = this.bitfield as Bitfield
    let arrived: Buffer | null = null
    if (!bitfield.get(index)) {
      if (opts.wait === false)
        throw new BlockNotAvailableError(`Block ${index} is not available locally`)
      const ifAvailable = opts.ifAvailable ?? this.alwaysIfAvailable
      arrived = await this.waiters.waitForBlock(this, index, opts.timeout ?? 0, ifAvailable)
    }
    return codec.decode(arrived ?? (await this.getBuffer(index, true)))
  }

  /**
   * Blocks [start, end), decoded (hypercore@9's getBatch); missing ones are fetched from peers as
   * `get` fetches them, with its options (`wait`, `timeout`, `ifAvailable`, `valueEncoding`).
   */
  async getBatch(start: number, end: number, opts: GetOptions = {}): Promise<unknown[]> {
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start)
      throw new InvalidArgumentError(`Invalid block range [${start}, ${end})`)
    if (end - start > MAX_BATCH_BLOCKS) {
      throw new InvalidArgumentError(
        `${end - start} blocks are too many for one batch (at most ${MAX_BATCH_BLOCKS}; stream them)`,
      )
    }
    await this.ready()
    if (opts.wait === false && !this.has(start, end))
      throw new BlockNotAvailableError(`Blocks [${start}, ${end}) are not all available locally`)
    const blocks: Promise<unknown>[] = new Array(end - start)
    for (let i = start; i < end; i++) blocks[i - start] = this.get(i, opts)
    return Promise.all(blocks)
  }

  /**
   * Cancels the gets waiting for blocks in [start, end) (they reject with ERR_CANCELLED) and the
   * downloads that lie within it (hypercore@9's cancel). Requests already sent still complete.
   */
  cancel(start: number, end = start + 1): void {
    for (const sel of this.selections.slice()) {
      if (start <= sel.start && sel.end !== -1 && sel.end <= end) this.undownload(sel)
    }
    // After the gets called before this one start waiting: they wait for ready() first, and
    // this runs after them on the same promise.
    this.ready().then(
      () => this.waiters.cancelBlocks(start, end, () => new CancelledError('Request cancelled')),
      () => {},
    )
  }

  /** The roots of the tree at length `index + 1` (hypercore@9's rootHashes). */
  async rootHashes(index: number): Promise<TreeNode[]> {
    if (!Number.isSafeInteger(index) || index < 0)
      throw new InvalidArgumentError(`Invalid block index ${index}`)
    await this.ready()
    return Promise.all(flat.fullRoots(2 * (index + 1)).map((n) => this.getNode(n)))
  }

  /**
   * Checks that `signature` signs this core's tree at length `index + 1` (hypercore@9's verify):
   * true, or ERR_INVALID_SIGNATURE.
   */
  async verify(index: number, signature: Uint8Array): Promise<true> {
    const roots = await this.rootHashes(index)
    if (!this.key || !verifySignable(signable(roots, index + 1), signature, this.key))
      throw new InvalidSignatureError(
        `The signature does not sign this core at length ${index + 1}`,
      )
    return true
  }

  /**
   * Which nodes of block `index`'s proof this core has, as the bitmask a Request carries (1: the
   * block's own node; hypercore@9's digest). 0 before the core is open.
   */
  digest(index: number): number {
    if (!this.bitfield) return 0
    return treeDigest(this.treeBits, 2 * index)
  }

  /** Block `index`'s leaf: its hash and byte size (hypercore@9's getBlockInfo). */
  async getBlockInfo(index: number): Promise<TreeNode> {
    if (!Number.isSafeInteger(index) || index < 0)
      throw new InvalidArgumentError(`Invalid block index ${index}`)
    await this.ready()
    return this.getNode(2 * index)
  }

  /**
   * Blocks and bytes moved to and from each connected peer and in all (hypercore@9's stats);
   * null when opened with `stats: false`.
   */
  get stats(): CoreStats | null {
    if (this.transferTotals === null) return null
    return { peers: this.peers.map((p) => ({ ...p.stats })), totals: { ...this.transferTotals } }
  }

  /** True when block `index` is stored locally; with `end`, when all of [start, end) are. */
  has(start: number, end?: number): boolean {
    const bitfield = this.bitfield
    if (!bitfield) return false
    if (end === undefined) return bitfield.get(start)
    return bitfield.total(start, end) === end - start
  }

  /** Number of blocks stored locally in [start, end). */
  downloaded(start = 0, end = this.length): number {
    const bitfield = this.bitfield
    return bitfield ? bitfield.total(start, end) : 0
  }

  /** The last block. */
  async head(opts: GetOptions = {}): Promise<unknown> {
    await this.ready()
    if (this.length === 0) {
      if (opts.wait === false) throw new BlockNotAvailableError('The core is empty')
      await this.update({ ifAvailable: opts.ifAvailable, timeout: opts.timeout })
    }
    return this.get(this.length - 1, opts)
  }

  /**
   * The block holding byte `bytes` of the log, and the offset inside it; a sparse replica asks
   * peers for the tree nodes it lacks, downloading no block (see seek.ts).
   */
  seek(bytes: number, opts: { wait?: boolean; timeout?: number } = {}): Promise<[number, number]> {
    return seekBytes(this, bytes, opts)
  }

  /** Resolves when `length >= minLength` (default length + 1). */
  async update(opts: UpdateOptions | number = {}): Promise<void> {
    const o: UpdateOptions = typeof opts === 'number' ? { minLength: opts } : opts
    await this.ready()
    const minLength = o.minLength ?? this.length + 1
    if (this.length >= minLength) return
    const ifAvailable = o.ifAvailable ?? this.alwaysIfAvailable
    await this.waiters.waitForLength(this, minLength, o.timeout ?? 0, ifAvailable)
  }

  // --- downloads ---

  /** Downloads a range (or the blocks listed); the result is awaitable and cancellable. */
  download(range: DownloadRange | number = {}): DownloadHandle {
    return startDownload(this, range)
  }

  /** Cancels a download selection (its promise rejects with ERR_CANCELLED). */
  undownload(range: Download | DownloadHandle | DownloadRange): void {
    cancelDownload(this.selections, range)
  }

  finishSelection(sel: Download): void {
    const i = this.selections.indexOf(sel)
    if (i > -1) this.selections.splice(i, 1)
    sel.resolve()
  }

  /** Re-checks selections after new local blocks. */
  checkSelections(): void {
    const bitfield = this.bitfield as Bitfield
    let changed = false
    for (const sel of this.selections.slice()) {
      if (sel.isComplete(bitfield, this.length)) {
        this.finishSelection(sel)
        changed = true
      }
    }
    if (changed) this.ownReplicator?.selectionsChanged()
  }

  // --- replication ---

  /**
   * Replicates over a hypercore-protocol@8 stream: a new one (`isInitiator` true/false) or an
   * existing one (passed as `isInitiator` or `opts.stream`, e.g. a Corestore's).
   */
  replicate(isInitiator: boolean | ProtocolStream, opts: ReplicateOptions = {}): ProtocolStream {
    if (!this.sparse && !opts.live && !this.selections.some((s) => s.implicit)) {
      // As the original: a non-sparse core downloads everything the peers have.
      this.download({ start: 0, end: -1 }).selection.implicit = true
    }
    return replicate(this, this.getReplicator(), isInitiator, opts)
  }

  private getReplicator(): Replicator {
    if (!this.ownReplicator) {
      this.ownReplicator = new Replicator(this)
      this.replicator = this.ownReplicator
      this.peers = this.ownReplicator.peers
    }
    return this.ownReplicator
  }

  /** Connected peers (Peer objects of the replicator). */
  replicatorPeers(): Peer[] {
    return this.ownReplicator ? this.ownReplicator.peers : []
  }

  /** Registers a feed extension announced to every peer (hypercore@9's registerExtension). */
  registerExtension<T = unknown>(
    name: string,
    handlers: FeedExtensionHandlers<T> = {},
  ): FeedExtension<T> {
    return this.extensions.add(name, handlers)
  }

  /**
   * Sends `message` to every peer on the extension registered as `name` (hypercore@9's
   * `extension`; throws ERR_INVALID_ARGUMENT when none is).
   */
  extension(name: string, message: unknown): void {
    const ext = this.extensions.get(name)
    if (!ext)
      throw new InvalidArgumentError(`No extension named ${JSON.stringify(name)} is registered`)
    ext.broadcastValue(message)
  }

  /**
   * Sends block `index` with its proof to `peer` unasked, so a reader that will need it (say, the
   * blocks a lookup answer names) has it after one round trip. Only peers that announced
   * `allowPush` get it; resolves whether it was sent.
   */
  push(peer: ExtensionPeer, index: number): Promise<boolean> {
    return peer.pushBlock ? peer.pushBlock(index) : Promise.resolve(false)
  }

  /**
   * Pushes several blocks to `peer` as `push` does, their frames leaving together (one write: a
   * lookup answer's blocks reach the remote in one chunk). Resolves which ones were sent.
   */
  pushBatch(peer: ExtensionPeer, indexes: readonly number[]): Promise<boolean[]> {
    if (peer.pushBlocks) return peer.pushBlocks(indexes)
    return Promise.all(indexes.map((index) => this.push(peer, index)))
  }

  setDownloading(downloading: boolean): void {
    this.downloading = downloading
    for (const peer of this.replicatorPeers()) peer.setDownloading(downloading)
  }

  setUploading(uploading: boolean): void {
    this.uploading = uploading
    for (const peer of this.replicatorPeers()) peer.setUploading(uploading)
  }

  /** The largest length a connected peer reported. */
  get remoteLength(): number {
    let len = 0
    for (const peer of this.replicatorPeers()) if (peer.remoteLength > len) len = peer.remoteLength
    return len
  }

  // --- clear / audit ---

  /** Removes blocks [start, end) from local storage (tree and signatures stay). */
  async clear(start: number, end = start + 1): Promise<void> {
    await this.ready()
    const bitfield = this.bitfield as Bitfield
    let modified = false
    let first = -1
    let last = -1
    for (let i = start; i < end; i++) {
      if (bitfield.get(i)) {
        if (first === -1) first = i
        last = i
      }
      if (bitfield.set(i, false)) modified = true
    }
    if (!modified) return
    for (const sel of this.selections) if (sel.cursor > start) sel.cursor = start
    this.verifiedStore.rewind(start)
    this.replicator?.unannounce(start, end - start)
    const from = await this.dataOffset(first).catch(() => null)
    const to =
      last + 1 === this.length
        ? { offset: this.byteLength, size: 0 }
        : await this.dataOffset(last + 1).catch(() => null)
    this.blocks.invalidate()
    if (from && to) await this.storage.deleteData(from.offset, to.offset - from.offset)
    this.emit('clear', start, end)
    await this.syncBitfield()
  }

  /** Re-hashes every stored block; clears the data bit of any that does not match its leaf. */
  async audit(): Promise<{ valid: number; invalid: number }> {
    await this.ready()
    return audit(recoveryContext(this), this.length)
  }

  // --- signatures and proofs (used by replication) ---

  /** The signature covering block `index` (the first stored at a slot ≥ index). */
  signature(index = this.length - 1): Promise<{ index: number; signature: Buffer }> {
    return this.proofs.signature(index)
  }

  /** Plans and loads a proof for block `index` for a peer (digest and what it is known to have). */
  proof(
    index: number,
    digestValue: number,
    hash: boolean,
    remote: TreeBits,
  ): Promise<Proof | null> {
    const plan = this.planProof(index, digestValue, hash, remote)
    return plan ? this.loadProof(plan) : Promise.resolve(null)
  }

  /**
   * Which nodes prove block `index` to a peer (digest and what it is known to have); null when
   * the block is not here. Synchronous: a batch plans all its proofs before loading any.
   */
  planProof(index: number, digestValue: number, hash: boolean, remote: TreeBits): ProofPlan | null {
    return proofPlan(this.treeBits, 2 * index, digestValue, hash, remote)
  }

  /** The nodes (and the signature, when it reaches a signed length) a plan names. */
  loadProof(plan: ProofPlan): Promise<Proof> {
    return this.proofs.load(plan)
  }

  /**
   * Verifies a block from a peer and stores it (tree, data, signature, then bits). Throws a typed
   * error and writes nothing when it does not verify.
   */
  async put(index: number, data: Buffer | null, proof: Proof, from?: unknown): Promise<void> {
    const verified = await this.verifyPut(index, data, proof, from)
    await this.storePut(verified, from)
  }

  /**
   * The first half of `put`: verifies without storing. Until `storePut` has written them, the
   * verified nodes stay in memory for the proofs that follow (see verified-store.ts). Emits
   * 'verified' with the authentic bytes.
   */
  verifyPut(
    index: number,
    data: Buffer | null,
    proof: Proof,
    from?: unknown,
  ): Promise<VerifiedPut> {
    return this.verifiedStore.verify(index, data, proof, from)
  }

  /** The second half of `put`: stores what `verifyPut` verified (tree, data, signature, bits). */
  storePut(verified: VerifiedPut, from?: unknown): Promise<void> {
    return this.verifiedStore.store(verified, from)
  }

  // --- streams ---

  /** A streamx Readable of blocks [start, end), or of every new block when `live`. */
  createReadStream(opts: ReadStreamOptions = {}): Readable {
    return createReadStream(this, opts)
  }

  /** A streamx Writable appending what is written (buffered writes become one batch). */
  createWriteStream(): Writable {
    return createWriteStream(this)
  }

  // --- lifecycle ---

  /**
   * A static core (`live: false`, opened without a key) takes the hash of its roots as its key and
   * stores it, as hypercore@9's finalize; a core with a key only stores it again.
   */
  async finalize(): Promise<void> {
    await this.ready()
    if (!this.key) {
      const roots = this.length > 0 ? await this.rootHashes(this.length - 1) : []
      this.key = treeHash(roots)
      this.discoveryKey = discoveryKey(this.key)
    }
    await this.storage.writeKey(this.key)
  }

  /** Closes the core, then deletes its files (hypercore@9's destroyStorage). */
  async destroyStorage(): Promise<void> {
    await this.close()
    await this.storage.destroy()
  }

  /** Closes storage and peers (idempotent); pending waits reject with ERR_CLOSED. */
  close(): Promise<void> {
    if (!this.closePromise) this.closePromise = this.doClose()
    return this.closePromise
  }

  private async doClose(): Promise<void> {
    try {
      await this.ready()
    } catch {
      // Opening failed: storage is already closed or never opened.
    }
    await this.appends.idle()
    await this.settleSignatures().catch(() => {})
    if (this.bitfield) await this.syncBitfield().catch(() => {})
    await this.bitfieldWrites.chain
    this.closed = true
    this.replicator?.close()
    this.waiters.closeAll(new ClosedError('Hypercore is closed'))
    for (const sel of this.selections.splice(0)) sel.reject(new ClosedError('Hypercore is closed'))
    await this.storage.close()
    this.emit('close')
  }
}
