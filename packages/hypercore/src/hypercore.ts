// The public Hypercore class: a signed append-only log on hypercore@9's storage layout.
import { EventEmitter } from 'node:events'
import type { ProtocolStream } from '@hyperstack/hypercore-protocol'
import * as flat from 'flat-tree'
import type { Readable, Writable } from 'streamx'
import { AppendBatcher, type PendingAppend } from './append-batcher.js'
import { Bitfield } from './bitfield.js'
import { BlockReader } from './block-reader.js'
import { type Codec, encodeBlock, toCodec } from './codecs.js'
import { type TreeNode, discoveryKey, keyPair, signable } from './crypto.js'
import { Download, type DownloadHandle } from './download.js'
import {
  BlockNotAvailableError,
  BlockTooLargeError,
  CancelledError,
  ClosedError,
  CorruptStorageError,
  InvalidArgumentError,
  KeyMismatchError,
  NoCoreError,
  NotWritableError,
  OutOfBoundsError,
} from './errors.js'
import {
  type ExtensionPeer,
  type FeedExtension,
  type FeedExtensionHandlers,
  FeedExtensions,
  PUSH_EXTENSION,
} from './feed-extensions.js'
import { LeafHasher } from './leaf-hasher.js'
import { MerkleTree, hashBatch } from './merkle-tree.js'
import {
  type AppendOptions,
  type DownloadRange,
  type GetOptions,
  HYPERCORE_DEFAULTS,
  type HypercoreOptions,
  type UpdateOptions,
} from './options.js'
import type { Peer } from './peer.js'
import { type Proof, type VerifiedPut, verifyProof } from './put.js'
import {
  type RecoveryContext,
  audit,
  recoverAppends,
  recoverDataBits,
  recoverSignature,
} from './recovery.js'
import { type ReplicateOptions, Replicator, replicate } from './replicator.js'
import { seekLocal } from './seek.js'
import { SignatureLog } from './signature-log.js'
import {
  CoreStorage,
  type CoreStorage as CoreStorageType,
  type StorageOption,
  toFileFactory,
} from './storage.js'
import { type ReadStreamOptions, createReadStream, createWriteStream } from './streams.js'
import { type ProofPlan, type TreeBits, blocks, proof as proofPlan, setNode } from './tree-index.js'
import { TreeNodes } from './tree-nodes.js'
import { Waiters } from './waiters.js'

export const MAX_BLOCK_SIZE = 8388608
/** Appends may run this many signatures ahead of storage before they wait. */

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

/** What the replicator needs from the core, and what the core tells it. */
export interface CoreReplicator {
  /** New local blocks [start, start + length): tell peers (Have). */
  announce(start: number, length: number, from?: unknown): void
  /** Blocks removed locally: tell peers (Unhave). */
  unannounce(start: number, length: number): void
  /** Something new is wanted (get/download/update): schedule requests. */
  update(): void
  close(): void
}

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
  private merkle: MerkleTree | null = null
  private readonly appends: AppendBatcher
  /** Tree nodes, from memory when possible. */
  private readonly nodes: TreeNodes
  /** Block offsets and reads (with read-ahead for sequential readers). */
  private readonly blocks: BlockReader
  private readonly durable: boolean
  private readonly hashInWorker: boolean
  private readonly alwaysIfAvailable: boolean
  private writeChain: Promise<void> = Promise.resolve()
  /** A writer's signatures on their way to storage (made on the first signed append). */
  private signatures: SignatureLog | null = null
  private bitfieldFlushScheduled = false
  /** Nodes verified from peers whose writes have not landed yet (see `verifyPut`). */
  private readonly verifiedNodes = new Map<number, TreeNode>()
  /** Lowest block not known to be stored (for the 'sync' event without rescanning). */
  private syncCursor = 0

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
    let k: Buffer | null = null
    if (typeof key === 'string') k = Buffer.from(key, 'hex')
    else if (key instanceof Uint8Array) k = Buffer.from(key)
    if (!k && o.keyPair) k = Buffer.from(o.keyPair.publicKey)
    if (k && k.length !== 32)
      throw new InvalidArgumentError(`Expected a 32-byte key, got ${k.length} bytes`)
    let sk: Buffer | null = null
    const secret = o.secretKey ?? o.keyPair?.secretKey ?? null
    if (typeof secret === 'string') sk = Buffer.from(secret, 'hex')
    else if (secret) sk = Buffer.from(secret)
    this.key = k
    this.secretKey = sk
    this.discoveryKey = k ? discoveryKey(k) : null
    this.live = o.live !== false
    this.sparse = o.sparse ?? HYPERCORE_DEFAULTS.sparse
    this.downloading = o.downloading !== false
    this.uploading = o.uploading ?? HYPERCORE_DEFAULTS.uploading
    this.maxRequests = o.maxRequests ?? HYPERCORE_DEFAULTS.maxRequests
    this.durable = o.durable ?? HYPERCORE_DEFAULTS.durable
    this.hashInWorker = o.hashInWorker ?? HYPERCORE_DEFAULTS.hashInWorker
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
    this.appends = new AppendBatcher(
      () => this.ready(),
      (batch) => this.appendBatch(batch),
    )
    this.extensions = new FeedExtensions(() => this.replicatorPeers())
    this.allowPush = o.allowPush ?? HYPERCORE_DEFAULTS.allowPush
    if (this.allowPush) this.extensions.add(PUSH_EXTENSION, {})
    if (!this.sparse) this.download({ start: 0, end: -1 }).selection.implicit = true
    // Open right away, as the original does; errors surface through ready() and every operation.
    this.ready().catch((err: Error) => {
      if (this.listenerCount('error') > 0) this.emit('error', err)
    })
  }

  /** Opens storage (idempotent). */
  ready(): Promise<void> {
    if (!this.openPromise) this.openPromise = this.open()
    return this.openPromise
  }

  private async open(): Promise<void> {
    const o = this.opts
    let overwrite = o.overwrite ?? HYPERCORE_DEFAULTS.overwrite
    const createIfMissing = o.createIfMissing ?? HYPERCORE_DEFAULTS.createIfMissing
    let storeSecretKey = o.storeSecretKey ?? HYPERCORE_DEFAULTS.storeSecretKey
    let generatedKey = false

    const storedKey = await this.storage.readKey()
    if (storedKey && !overwrite && !this.key) this.key = storedKey
    if (!this.key && this.live) {
      const kp = keyPair()
      this.key = kp.publicKey
      this.secretKey = kp.secretKey
      generatedKey = true
    }
    const state = await this.storage.open()
    if (!state.key && state.bitfieldPages.length) overwrite = true
    if (overwrite) {
      state.bitfieldPages = []
      state.key = null
      state.secretKey = null
    }
    const bitfield = new Bitfield(state.bitfieldPageSize, state.bitfieldPages)
    this.bitfield = bitfield
    if (state.key && this.key && !state.key.equals(this.key)) {
      await this.storage.close()
      throw new KeyMismatchError('Another hypercore is stored here')
    }
    if (state.key) this.key = state.key
    if (state.secretKey) this.secretKey = state.secretKey
    if ((generatedKey || !this.key) && !createIfMissing) {
      await this.storage.close()
      throw new NoCoreError('No hypercore is stored here')
    }
    if (!this.key && this.live) {
      const kp = keyPair()
      this.key = kp.publicKey
      this.secretKey = kp.secretKey
    }
    this.writable = !!this.secretKey || this.key === null
    if (this.opts.downloading === undefined) this.downloading = !this.writable
    this.discoveryKey = this.key ? discoveryKey(this.key) : null
    if (storeSecretKey && !this.secretKey) storeSecretKey = false

    let length = blocks(bitfield)
    if (this.writable && this.secretKey && !overwrite) {
      length = await this.recoverAppends(length)
      await recoverDataBits(this.recoveryContext(), length)
    }
    if (length > 0) {
      const sig = await this.storage.getSignature(length - 1)
      if (!sig && this.writable && this.secretKey) {
        // A crash between the bitfield pages of one append can leave the tree bits proving a
        // length in the middle of a batch. Sign it again: Ed25519 is deterministic, so this is the
        // signature the writer would have stored.
        length = await this.recoverSignature(length)
      } else {
        this.live = !!sig
      }
    }

    const writes: Promise<void>[] = []
    if (generatedKey || !state.key || !state.key.equals(this.key as Buffer)) {
      if (this.key) writes.push(this.storage.writeKey(this.key))
    }
    if (
      storeSecretKey &&
      this.secretKey &&
      (generatedKey || !state.secretKey || !state.secretKey.equals(this.secretKey))
    ) {
      writes.push(this.storage.writeSecretKey(this.secretKey))
    }
    if (overwrite) writes.push(this.storage.clearBitfield())
    await Promise.all(writes)

    let roots: TreeNode[]
    try {
      roots = await this.storage.getNodes(flat.fullRoots(2 * length))
    } catch {
      // The original retries once with one block less.
      length = Math.max(0, length - 1)
      roots = await this.storage.getNodes(flat.fullRoots(2 * length))
    }
    this.length = length
    this.byteLength = roots.reduce((n, r) => n + r.size, 0)
    if (this.writable) this.merkle = new MerkleTree(roots)
    for (const r of roots) this.nodes.remember(r)
    this.opened = true
    this.emit('ready')
  }

  /** Redo after a crash (see recovery.ts); returns the recovered length. */
  private recoverAppends(length: number): Promise<number> {
    return recoverAppends(this.recoveryContext(), length)
  }

  private recoverSignature(length: number): Promise<number> {
    return recoverSignature(this.recoveryContext(), length)
  }

  private recoveryContext(): RecoveryContext {
    return {
      storage: this.storage,
      bitfield: this.bitfield as Bitfield,
      secretKey: this.secretKey,
      dataOffset: (i) => this.dataOffset(i),
      syncBitfield: () => this.syncBitfield(),
    }
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
    await this.writeChain
    await this.storage.sync()
  }

  /** Writes one batch of appends: data, tree nodes, then (later, coalesced) bits and signature. */
  private async appendBatch(batch: PendingAppend[]): Promise<number> {
    if (this.closed) throw new ClosedError('Hypercore is closed')
    if (!this.writable || (!this.secretKey && this.live)) {
      throw new NotWritableError('This feed is not writable. Did you create it?')
    }
    if (!this.merkle)
      this.merkle = new MerkleTree(await this.storage.getNodes(flat.fullRoots(2 * this.length)))
    const merkle = this.merkle
    const start = this.length
    const datas: Buffer[] = []
    for (const p of batch) for (const b of p.blocks) datas.push(b)
    const count = datas.length
    if (count === 0) return start

    let bytes = 0
    for (const b of datas) bytes += b.length
    // Big batches hash their leaves on the hashing thread while the data is written here.
    const hashing =
      this.hashInWorker && LeafHasher.worthIt(bytes, count)
        ? (LeafHasher.get()?.hash(datas) ?? null)
        : null
    const dataWrite = this.storage.writeDataRun(this.byteLength, datas, bytes)
    // Its failure surfaces below with the tree writes, not as unhandled while leaves are hashed.
    dataWrite.catch(() => {})
    const leaves = hashing === null ? null : await hashing
    const { slots, outside } = hashBatch(merkle, datas, leaves)
    const newLength = start + count
    const writes: Promise<void>[] = [dataWrite, this.storage.putNodeRange(2 * start, slots)]
    for (const node of outside) writes.push(this.storage.putNode(node))
    const durable = batch.some((p) => p.durable)
    if (this.live && this.secretKey)
      void this.signLength(newLength, signable(merkle.roots, newLength))
    try {
      await Promise.all(writes)
    } catch (err) {
      // The merkle state ran ahead of storage; reload it from what is stored before the next append.
      this.merkle = null
      throw err
    }

    const bitfield = this.bitfield as Bitfield
    this.blocks.offsets.setRun(start, this.byteLength, datas)
    this.byteLength += bytes
    for (let i = start; i < newLength; i++) {
      bitfield.set(i, true)
      setNode(this.treeBits, 2 * i)
    }
    this.length = newLength
    this.emit('append')
    this.replicator?.announce(start, count)
    this.waiters.onAppend(this)
    // The append is recoverable once its tree nodes and data are written: on reopen a writer
    // re-verifies leaves past the bitfield and re-signs (Ed25519 is deterministic). So the
    // bitfield pages and the signature are written after the append resolves, coalesced with
    // those of the following appends; flush() and {durable} wait for them and fsync once.
    this.scheduleBitfieldFlush()
    if (durable) {
      // Tree nodes and data are all a writer needs to recover this append after a power loss
      // (recoverAppends re-derives the bits and signs again), so only those two are synced.
      await this.storage.syncAppendData()
    } else if (this.signatures && this.signatures.backlog > SignatureLog.MAX_BACKLOG) {
      await this.signatures.written(-1, SignatureLog.MAX_BACKLOG / 2)
    }
    return start
  }

  /** Signs `length` (on the signing thread when appends come in bursts) and writes it to its slot. */
  private signLength(length: number, message: Buffer): void {
    this.signatures ??= new SignatureLog(
      this.storage,
      this.secretKey as Buffer,
      this.opts.signInWorker ?? HYPERCORE_DEFAULTS.signInWorker,
      (err) => {
        if (this.listenerCount('error') > 0) this.emit('error', err)
      },
    )
    this.signatures.request(length - 1, message)
  }

  /** Waits until every signature made so far is written. */
  async settleSignatures(): Promise<void> {
    await this.signatures?.settle()
  }

  private scheduleBitfieldFlush(): void {
    if (this.bitfieldFlushScheduled) return
    this.bitfieldFlushScheduled = true
    setImmediate(() => {
      this.bitfieldFlushScheduled = false
      if (this.closed) return
      this.syncBitfield().catch((err: Error) => {
        if (this.listenerCount('error') > 0) this.emit('error', err)
      })
    })
  }

  /** Writes the changed bitfield pages (after the data, tree and signatures they describe). */
  async syncBitfield(): Promise<void> {
    const bitfield = this.bitfield as Bitfield
    if (!bitfield.hasUpdates()) return
    const pages = bitfield.takeUpdates()
    const run = this.writeChain.then(() =>
      Promise.all(
        pages.map((p) => this.storage.putBitfieldPage(p.index, bitfield.pageSize, p.buffer)),
      ),
    )
    this.writeChain = run.then(
      () => {},
      () => {},
    )
    await run
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
    if (!bitfield.get(index)) {
      if (opts.wait === false)
        throw new BlockNotAvailableError(`Block ${index} is not available locally`)
      const ifAvailable = opts.ifAvailable ?? this.alwaysIfAvailable
      await this.waiters.waitForBlock(this, index, opts.timeout ?? 0, ifAvailable)
    }
    const data = await this.getBuffer(index, true)
    return codec.decode(data)
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
   * The block holding byte `bytes` of the log, and the offset inside it. On a sparse replica the
   * tree nodes it lacks come from peers as a byte-offset request answered hash-only (as
   * hypercore@9's seek): no block is downloaded.
   */
  async seek(
    bytes: number,
    opts: { wait?: boolean; timeout?: number } = {},
  ): Promise<[number, number]> {
    await this.ready()
    if (bytes === this.byteLength) return [this.length, 0]
    if (bytes === 0 && this.length > 0) return [0, 0]
    let askedPastEnd = false
    for (;;) {
      if (bytes < this.byteLength) {
        const found = await seekLocal(this, bytes)
        if (found.index > -1) return [found.index, found.offset]
        if (opts.wait === false)
          throw new BlockNotAvailableError(`The tree nodes for byte ${bytes} are not available`)
        await this.waiters.waitForSeek(this, bytes, found.start, found.end, opts.timeout ?? 0)
        continue
      }
      if (bytes === this.byteLength) return [this.length, 0]
      if (opts.wait === false)
        throw new OutOfBoundsError(`Byte offset ${bytes} is past the end (${this.byteLength})`)
      if (!askedPastEnd && this.remoteLength > this.length) {
        // A peer has more: ask it for the byte at once. Its hash-only answer proves the block up
        // to the signed roots, so the new length comes with it; an update first would cost a
        // round trip of its own. Once: a byte past the peer's end too waits for an append.
        askedPastEnd = true
        const end = this.remoteLength
        await this.waiters.waitForSeek(this, bytes, this.length, end, opts.timeout ?? 0)
        continue
      }
      // The length seen here, not when update() runs: a store landing in between must end it.
      await this.update({ minLength: this.length + 1, timeout: opts.timeout })
    }
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
    const r = typeof range === 'number' ? { start: range, end: range + 1 } : range
    const sel = new Download(r)
    const completion = sel.done.then(() => {})
    // The implicit whole-core download of a non-sparse core is never awaited: keep its
    // cancellation from surfacing as an unhandled rejection. Awaiting callers still see it.
    completion.catch(() => {})
    const handle = Object.assign(completion, {
      selection: sel,
      start: sel.start,
      end: sel.end,
      cancel: () => this.undownload(sel),
    })
    if (this.closed) {
      sel.reject(new ClosedError('Hypercore is closed'))
      return handle
    }
    this.selections.push(sel)
    this.ready().then(
      () => {
        if (sel.isComplete(this.bitfield as Bitfield, this.length)) this.finishSelection(sel)
        else this.replicator?.update()
      },
      (err: Error) => sel.reject(err),
    )
    return handle
  }

  /** Cancels a download selection (its promise rejects with ERR_CANCELLED). */
  undownload(range: Download | DownloadHandle | DownloadRange): void {
    const target = 'selection' in range ? range.selection : range
    let i = this.selections.indexOf(target as Download)
    if (i === -1) {
      i = this.selections.findIndex(
        (s) =>
          s.start === (target.start ?? 0) &&
          s.end === (target.end ?? -1) &&
          s.linear === !!target.linear,
      )
    }
    if (i === -1) return
    const [sel] = this.selections.splice(i, 1)
    sel.reject(new CancelledError('Download was cancelled'))
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
    if (this.syncCursor > start) this.syncCursor = start
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
    return audit(this.recoveryContext(), this.length)
  }

  // --- signatures and proofs (used by replication) ---

  /** The signature covering block `index` (the first stored at a slot ≥ index). */
  async signature(index = this.length - 1): Promise<{ index: number; signature: Buffer }> {
    await this.ready()
    if (index < 0 || index >= this.length)
      throw new OutOfBoundsError('No signature available for this index')
    await this.settleSignatures()
    for (let i = index; i < this.length; i++) {
      const sig = await this.storage.getSignature(i)
      if (sig) return { index: i, signature: sig }
    }
    throw new CorruptStorageError(`No signature stored at or after ${index}`)
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
  async loadProof(plan: ProofPlan): Promise<Proof> {
    // Uploads mostly find their nodes in memory: no promise per node then.
    const nodes: TreeNode[] = new Array(plan.nodes.length)
    let inMemory = true
    for (let i = 0; i < nodes.length; i++) {
      const node = this.nodes.now(plan.nodes[i])
      if (node) nodes[i] = node
      else inMemory = false
    }
    if (!inMemory) {
      await Promise.all(
        plan.nodes.map(async (n, i) => {
          nodes[i] ??= await this.getNode(n)
        }),
      )
    }
    let signature: Buffer | null = null
    if (this.live && plan.verifiedBy) {
      const slot = plan.verifiedBy / 2 - 1
      await this.signatures?.written(slot, Number.POSITIVE_INFINITY)
      signature = await this.storage.getSignature(slot)
    }
    return { nodes, signature }
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
   * verified nodes stay in memory for the proofs that follow (a burst of blocks is verified
   * first and stored after, so the block a reader waits for is not behind the others' writes).
   * Emits 'verified' with the authentic bytes.
   */
  async verifyPut(
    index: number,
    data: Buffer | null,
    proof: Proof,
    from?: unknown,
  ): Promise<VerifiedPut> {
    if (!this.opened) await this.ready()
    const key = this.key
    if (!key) throw new NotWritableError('Core has no key')
    const ctx = {
      key,
      length: this.length,
      live: this.live,
      hasNode: (n: number) => this.treeBits.getTree(n) || this.verifiedNodes.has(n),
      nodeNow: (n: number) => this.nodeInMemory(n),
      getNode: (n: number) => this.verifiedOrStoredNode(n),
    }
    const verified = await verifyProof(ctx, index, data, proof)
    for (const node of verified.nodes) this.verifiedNodes.set(node.index, node)
    if (verified.data && verified.leaf && !(this.bitfield as Bitfield).get(index)) {
      this.emit('verified', index, verified.data, from)
    }
    return verified
  }

  /** The second half of `put`: stores what `verifyPut` verified (tree, data, signature, bits). */
  async storePut(verified: VerifiedPut, from?: unknown): Promise<void> {
    try {
      await this.storeVerified(verified, from)
    } finally {
      const pending = this.verifiedNodes
      for (const node of verified.nodes) {
        if (pending.get(node.index) === node) pending.delete(node.index)
      }
    }
  }

  /** Node `n` when in memory: cached, or verified and on its way to storage. */
  private nodeInMemory(n: number): TreeNode | null {
    return this.nodes.now(n) ?? this.verifiedNodes.get(n) ?? null
  }

  /** Node `n`, from a verified put whose writes have not landed yet or else from storage. */
  private verifiedOrStoredNode(n: number): Promise<TreeNode> {
    const node = this.verifiedNodes.get(n)
    return node ? Promise.resolve(node) : this.getNode(n)
  }

  /** Where block `v.index` starts: the sizes of the roots left of it (in memory when possible). */
  private async offsetFromRoots(v: VerifiedPut): Promise<number> {
    let offset = 0
    const missing: number[] = []
    for (const r of flat.fullRoots(2 * v.index)) {
      const node = v.nodes.find((n) => n.index === r) ?? this.nodeInMemory(r)
      if (node) offset += node.size
      else missing.push(r)
    }
    if (missing.length > 0) {
      const read = await Promise.all(missing.map((r) => this.verifiedOrStoredNode(r)))
      for (const node of read) offset += node.size
    }
    return offset
  }

  private async storeVerified(v: VerifiedPut, from: unknown): Promise<void> {
    if (this.closed) throw new ClosedError('Hypercore is closed')
    const writes = this.storage.putNodes(v.nodes)
    if (v.data?.length && v.leaf) {
      // Where the block goes: right after the previous block when its end is known, else the
      // sizes of the roots left of it.
      let offset = this.blocks.offsets.startOf(v.index)
      if (Number.isNaN(offset)) offset = await this.offsetFromRoots(v)
      writes.push(this.storage.writeData(offset, v.data))
      this.blocks.offsets.set(v.index, offset, v.data.length)
      this.nodes.remember(v.leaf)
    }
    if (v.signature) writes.push(this.storage.putSignatures(v.signatureIndex, v.signature))
    await Promise.all(writes)
    if (v.signature) this.live = true
    if (v.length > this.length && v.roots) {
      this.length = v.length
      this.byteLength = v.roots.reduce((n, r) => n + r.size, 0)
      if (this.writable) this.merkle = null
      this.emit('append')
      this.waiters.onAppend(this)
    }
    for (const n of v.nodes) {
      setNode(this.treeBits, n.index)
      this.nodes.remember(n)
    }
    setNode(this.treeBits, 2 * v.index)
    this.waiters.onNodes()
    if (v.data) {
      const bitfield = this.bitfield as Bitfield
      if (bitfield.set(v.index, true)) this.emit('download', v.index, v.data, from)
      this.replicator?.announce(v.index, 1, from)
      this.waiters.onBlock(this, v.index)
      this.checkSelections()
      if (!this.writable && this.length > 0) {
        const synced = this.syncCursor >= this.length
        while (this.syncCursor < this.length && bitfield.get(this.syncCursor)) this.syncCursor++
        if (!synced && this.syncCursor >= this.length) this.emit('sync')
      }
    }
    // Bits lag the data they describe (never lead): written with the next coalesced flush.
    this.scheduleBitfieldFlush()
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
    await this.writeChain
    this.closed = true
    this.replicator?.close()
    this.waiters.closeAll(new ClosedError('Hypercore is closed'))
    for (const sel of this.selections.splice(0)) sel.reject(new ClosedError('Hypercore is closed'))
    await this.storage.close()
    this.emit('close')
  }
}
