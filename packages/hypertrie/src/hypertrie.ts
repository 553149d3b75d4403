import { EventEmitter } from 'node:events'
import type { StorageOption } from '@hyperstack/hypercore'
// The public Hypertrie class: hypertrie@5's API with promises over a TrieFeed, sharing one node
// cache, one write lock and one lookup extension between a trie and its checkouts.
import { Readable, Writable } from './commonjs.js'
import { createFeed } from './create-feed.js'
import { type DiffOptions, NodeDiff, type RawDiff } from './diff.js'
import {
  ClosedError,
  DecodeError,
  InvalidArgumentError,
  MetadataError,
  NotWritableError,
} from './errors.js'
import type { ReplicationStream, TrieFeed } from './feed.js'
import { type LookupOptions, lookup, lookupCached, lookupTarget } from './get.js'
import { type HistoryOptions, NodeHistory } from './history.js'
import { type IteratorOptions, NodeIterator } from './iterator.js'
import { LookupExtension, type LookupExtensionStats, noLookupStats } from './lookup-extension.js'
import type { ExtensionIterator } from './messages/extension-message.js'
import { decodeHeaderMessage, encodeHeaderMessage } from './messages/header-message.js'
import { Mutex } from './mutex.js'
import { DEFAULT_CACHE_SIZE, NodeCache } from './node-cache.js'
import { type MaybeNode, NodeSource, type ReadOptions } from './node-source.js'
import { normalizeKey } from './path-hash.js'
import type { KeyHash, TrieNode } from './trie-node.js'
import {
  type ValueCodec,
  type ValueEncodingOption,
  decodeValue,
  encodeValue,
  resolveValueEncoding,
} from './value-encoding.js'
import { TrieWatcher } from './watch.js'
import { type WriteTarget, storedFlags, writeDel, writePut } from './write-session.js'

/** A node as handed to users: value decoded, `flags` = user flags (stored >> 8). */
export interface HypertrieNode<T = unknown> {
  seq: number
  key: string
  value: T | null
  valueBuffer: Buffer | null
  flags: number
  hidden: boolean
}

export interface HypertrieDiffEntry<T = unknown> {
  key: string
  left: HypertrieNode<T> | null
  right: HypertrieNode<T> | null
}

export interface HypertrieOptions {
  /** Use this feed instead of creating one from storage. */
  feed?: TrieFeed
  secretKey?: Uint8Array
  valueEncoding?: ValueEncodingOption
  sparse?: boolean
  /** Before every read of the latest version, ask peers for a newer length (ifAvailable). */
  alwaysUpdate?: boolean
  /** Accepted for compatibility with mountable-hypertrie; prefetching after appends is not done. */
  alwaysReconnect?: boolean
  /** false disables the lookup extension. */
  extension?: boolean
  /** Stored in the header block when the trie creates it. */
  metadata?: Uint8Array | null
  /** Header subtype ("hyperdrive", "mountable-hypertrie"); omitted when unset. */
  subtype?: string
  cacheSize?: number
  /** Whole-key hash instead of per-component SipHash (tests only, as in hypertrie@5). */
  hash?: KeyHash
  /** Passed to the Hypercore created from storage (ignored with `feed`). */
  keyPair?: { publicKey: Uint8Array; secretKey: Uint8Array } | null
  createIfMissing?: boolean
  overwrite?: boolean
  storeSecretKey?: boolean
  /** Default 256: trie blocks are small (hypertrie@5 sets the same). */
  maxRequests?: number
  /**
   * Default true: the feed created from storage stores the blocks a peer answering our lookups
   * sends with its answer, so a sparse get costs about one round trip (ignored with `feed`).
   */
  allowPush?: boolean
}

export type PutCondition<T = unknown> = (
  existing: HypertrieNode<T> | null,
  next: HypertrieNode<T>,
) => boolean | Promise<boolean>

export interface PutOptions<T = unknown> {
  hidden?: boolean
  /** User flags (stored shifted left by 8). */
  flags?: number
  condition?: PutCondition<T> | null
  closest?: boolean
}

export interface GetOptions {
  hidden?: boolean
  prefix?: boolean
  closest?: boolean
  wait?: boolean
  timeout?: number
  extension?: boolean
  onseq?: (seq: number) => void
}

export interface DelOptions<T = unknown> {
  hidden?: boolean
  condition?: ((node: HypertrieNode<T> | null) => boolean | Promise<boolean>) | null
  closest?: boolean
}

export interface BatchOp {
  type?: 'put' | 'del'
  key: string
  value?: unknown
  hidden?: boolean
  flags?: number
}

interface Shared {
  feed: TrieFeed
  src: NodeSource
  lock: Mutex
  ext: LookupExtension | null
  header: Promise<void> | null
  closed: boolean
}

interface InternalOptions extends HypertrieOptions {
  shared?: Shared
  checkout?: number
}

const NO_GET_OPTIONS: GetOptions = {}
const NO_EXTENSION_STATS: LookupExtensionStats = noLookupStats()
const NO_PARAMS = {}

function isOptions(x: unknown): x is HypertrieOptions {
  return typeof x === 'object' && x !== null && !(x instanceof Uint8Array)
}

export class Hypertrie<T = unknown> extends EventEmitter {
  readonly feed: TrieFeed
  key: Buffer | null = null
  discoveryKey: Buffer | null = null
  metadata: Buffer | null
  readonly subtype: string | null
  readonly valueEncoding: ValueCodec | null
  alwaysUpdate: boolean
  readonly alwaysReconnect: boolean
  opened = false
  private readonly shared: Shared
  private readonly checkoutVersion: number
  private readyPromise: Promise<void> | null = null
  private readonly watchers = new Set<TrieWatcher>()
  private readonly onappend: () => void
  private updateLoop = false

  constructor(
    storage: StorageOption | null,
    key?: Uint8Array | string | null | HypertrieOptions,
    opts?: HypertrieOptions,
  ) {
    super()
    if (isOptions(key)) {
      opts = key
      key = null
    }
    const o: InternalOptions = opts ?? {}
    const keyBuf = typeof key === 'string' ? Buffer.from(key, 'hex') : (key ?? null)
    this.metadata = o.metadata ? Buffer.from(o.metadata) : null
    this.subtype = o.subtype ?? null
    this.valueEncoding = resolveValueEncoding(o.valueEncoding)
    this.alwaysUpdate = !!o.alwaysUpdate
    this.alwaysReconnect = !!o.alwaysReconnect
    this.checkoutVersion = o.checkout ?? 0

    if (o.shared) {
      this.shared = o.shared
    } else {
      let feed = o.feed
      if (!feed) {
        if (storage === null) throw new InvalidArgumentError('a trie needs storage or a feed')
        feed = createFeed(storage, keyBuf === null ? null : Buffer.from(keyBuf), o)
      }
      const src = new NodeSource(
        feed,
        new NodeCache(o.cacheSize ?? DEFAULT_CACHE_SIZE),
        o.hash ?? null,
      )
      this.shared = { feed, src, lock: new Mutex(), ext: null, header: null, closed: false }
      if (o.extension !== false) this.shared.ext = new LookupExtension(this.extensionHost())
    }
    this.feed = this.shared.feed
    this.onappend = () => {
      for (const w of this.watchers) w.update()
      this.emit('append')
    }
    if (!this.checkoutVersion) this.feed.on('append', this.onappend)
  }

  /** The version: the checkout's, else the feed length. */
  get version(): number {
    return this.checkoutVersion || this.feed.length
  }

  get writable(): boolean {
    return this.feed.writable && !this.checkoutVersion
  }

  private get src(): NodeSource {
    return this.shared.src
  }

  ready(): Promise<void> {
    if (this.readyPromise === null) this.readyPromise = this.open()
    return this.readyPromise
  }

  private async open(): Promise<void> {
    const shared = this.shared
    if (shared.header === null) shared.header = this.writeHeader()
    await shared.header
    this.key = this.feed.key
    this.discoveryKey = this.feed.discoveryKey
    this.opened = true
    this.emit('ready')
  }

  private async writeHeader(): Promise<void> {
    await this.feed.ready()
    if (this.feed.length || !this.feed.writable) return
    await this.feed.append(
      encodeHeaderMessage({ type: 'hypertrie', metadata: this.metadata, subtype: this.subtype }),
    )
  }

  /** Only before the header block exists, as in hypertrie@5. */
  setMetadata(metadata: Uint8Array): void {
    if (this.feed.length || !this.feed.writable) {
      throw new MetadataError('the metadata must be set before any puts have occurred')
    }
    this.metadata = Buffer.from(metadata)
  }

  static async getMetadata(feed: TrieFeed): Promise<Buffer | null> {
    const block = await feed.get(0, { valueEncoding: 'binary' })
    if (!(block instanceof Uint8Array)) throw new DecodeError('block 0 is not binary')
    return decodeHeaderMessage(block).metadata
  }

  async getMetadata(): Promise<Buffer | null> {
    await this.ready()
    return Hypertrie.getMetadata(this.feed)
  }

  /** Seq of the head node at this version (0 = empty). */
  async headSeq(opts?: ReadOptions): Promise<number> {
    if (!this.opened) await this.ready()
    if (this.checkoutVersion) return this.checkoutVersion - 1
    if (this.alwaysUpdate && opts?.wait !== false && this.feed.update) {
      try {
        await this.feed.update({ ifAvailable: true })
      } catch {
        // no peer had more; read what we have
      }
    }
    const len = this.feed.length
    return len < 2 ? 0 : len - 1
  }

  private headSeqNow(): number {
    if (this.checkoutVersion) return this.checkoutVersion - 1
    const len = this.feed.length
    return len < 2 ? 0 : len - 1
  }

  /** The head node (null for an empty trie). */
  async head(opts?: ReadOptions): Promise<HypertrieNode<T> | null> {
    const seq = await this.headSeq(opts)
    const n = seq ? await this.src.load(seq, opts) : null
    return n ? this.final(n) : null
  }

  /** The node at a seq (null for seq 0 and reset nodes). */
  async getBySeq(seq: number, opts?: ReadOptions): Promise<HypertrieNode<T> | null> {
    const n = await this.src.load(seq, opts)
    return n ? this.final(n) : null
  }

  final(n: TrieNode): HypertrieNode<T> {
    return {
      seq: n.seq,
      key: n.key,
      value: n.valueBuffer === null ? null : (decodeValue(this.valueEncoding, n.valueBuffer) as T),
      valueBuffer: n.valueBuffer,
      flags: n.userFlags,
      hidden: n.hidden,
    }
  }

  /** Raw lookup (internal node); used by the mount controller. */
  getNode(key: string, opts: GetOptions = NO_GET_OPTIONS): Promise<TrieNode | null> {
    try {
      const target = lookupTarget(this.src, key, !!opts.hidden)
      const hit = this.lookupCached(target, opts)
      return hit === undefined ? this.lookupNode(target, opts) : Promise.resolve(hit)
    } catch (err) {
      return Promise.reject(err)
    }
  }

  /** The lookup answered from cached nodes alone; undefined when it needs a read or a peer. */
  private lookupCached(target: TrieNode, opts: GetOptions): TrieNode | null | undefined {
    if (!this.opened || this.shared.closed || opts.onseq) return undefined
    if (!this.checkoutVersion && this.alwaysUpdate && opts.wait !== false) return undefined
    return lookupCached(this.src, this.headSeqNow(), target, !!opts.prefix, !!opts.closest)
  }

  private async lookupNode(target: TrieNode, opts: GetOptions): Promise<TrieNode | null> {
    if (this.shared.closed) throw new ClosedError()
    // skip the async head lookup when nothing has to be asked of peers
    const head =
      this.opened && (this.checkoutVersion || !this.alwaysUpdate || opts.wait === false)
        ? this.headSeqNow()
        : await this.headSeq(opts)
    const lo: LookupOptions = {
      prefix: opts.prefix,
      closest: opts.closest,
      wait: opts.wait,
      timeout: opts.timeout,
      onseq: opts.onseq ?? null,
    }
    const ext = this.shared.ext
    if (!ext || opts.extension === false || !head) return lookup(this.src, head, target, lo)
    let sent = false
    // when peers answer lookups, the blocks come with the answer: wait for it rather than
    // requesting each block the walk misses (a second round trip, and duplicates)
    const answer = (seq: number) => (ext.peersAnswer ? ext.answerWith(seq) : null)
    lo.onwait = (seq) => {
      if (sent) return answer(seq)
      sent = true
      const queued = ext.sendGet(head, target.key)
      if (queued === null) return answer(seq)
      // While queued, another lookup's answer may have brought the block.
      return queued.then(async () => {
        if (!(await this.feed.has?.(seq))) await answer(seq)
      })
    }
    return lookup(this.src, head, target, lo)
  }

  get(key: string, opts: GetOptions = NO_GET_OPTIONS): Promise<HypertrieNode<T> | null> {
    try {
      const target = lookupTarget(this.src, key, !!opts.hidden)
      const hit = this.lookupCached(target, opts)
      if (hit !== undefined) return Promise.resolve(hit === null ? null : this.final(hit))
      return this.lookupNode(target, opts).then((n) => (n === null ? null : this.final(n)))
    } catch (err) {
      return Promise.reject(err)
    }
  }

  private assertWritable(): void {
    if (this.shared.closed) throw new ClosedError()
    if (this.checkoutVersion) throw new NotWritableError('a checkout is read-only')
    if (!this.feed.writable) throw new NotWritableError()
  }

  private writeTarget: WriteTarget | null = null

  // one target per trie: puts and deletes run under the lock, one at a time
  private singleTarget(): WriteTarget {
    if (this.writeTarget !== null) return this.writeTarget
    const src = this.src
    this.writeTarget = {
      load: (seq) => src.read(seq),
      loadNeighbour: (seq) => src.load(seq),
      head: () => {
        if (this.opened && !this.alwaysUpdate) {
          const s = this.headSeqNow()
          return s ? src.read(s) : null
        }
        return this.headSeq().then((s) => (s ? src.load(s) : null))
      },
      append: async (node) => {
        node.seq = this.feed.length
        await this.feed.append(node.encode())
        src.cache.set(node.seq, node)
      },
      hash: src.hash,
    }
    return this.writeTarget
  }

  async put(
    key: string,
    value: T | Uint8Array | string | null,
    opts: PutOptions<T> = {},
  ): Promise<HypertrieNode<T>> {
    if (!this.opened) await this.ready()
    this.assertWritable()
    const valueBuffer =
      value === null || value === undefined ? null : encodeValue(this.valueEncoding, value)
    const flags = storedFlags(opts.flags ?? 0, !!opts.hidden)
    const cond = opts.condition
    const node = await this.shared.lock.run(() =>
      writePut(this.singleTarget(), key, valueBuffer, flags, {
        closest: !!opts.closest,
        condition: cond
          ? async (existing, next) =>
              !!(await cond(existing && this.final(existing), this.final(next)))
          : null,
      }),
    )
    return this.final(node)
  }

  /** Deletes `key`; resolves to the re-written neighbour node, or null when nothing was deleted. */
  async del(key: string, opts: DelOptions<T> = {}): Promise<HypertrieNode<T> | null> {
    if (!this.opened) await this.ready()
    this.assertWritable()
    const cond = opts.condition
    const node = await this.shared.lock.run(() =>
      writeDel(this.singleTarget(), key, {
        hidden: !!opts.hidden,
        closest: !!opts.closest,
        condition: cond ? async (n) => !!(await cond(n && this.final(n))) : null,
      }),
    )
    return node ? this.final(node) : null
  }

  /** Runs puts and deletes under one lock and appends all their nodes at once. */
  async batch(ops: BatchOp[]): Promise<HypertrieNode<T>[]> {
    if (!this.opened) await this.ready()
    this.assertWritable()
    const nodes = await this.shared.lock.run(async () => {
      const src = this.src
      const offset = this.feed.length
      const list: TrieNode[] = []
      const headSeq = await this.headSeq()
      let head: TrieNode | null = headSeq ? await src.load(headSeq) : null
      const raw = (seq: number): MaybeNode | undefined =>
        seq >= offset ? (list[seq - offset] ?? null) : undefined
      const t: WriteTarget = {
        load: (seq) => {
          const b = raw(seq)
          return b === undefined ? src.read(seq) : b
        },
        loadNeighbour: async (seq) => {
          const b = raw(seq)
          return b === undefined ? src.load(seq) : b
        },
        head: () => head,
        append: (node) => {
          node.seq = offset + list.length
          list.push(node)
        },
        hash: src.hash,
      }
      for (const op of ops) {
        let res: TrieNode | null
        if (op.type === 'del') res = await writeDel(t, op.key, { hidden: !!op.hidden })
        else {
          const v =
            op.value === undefined || op.value === null
              ? null
              : encodeValue(this.valueEncoding, op.value)
          const r = writePut(t, op.key, v, storedFlags(op.flags ?? 0, !!op.hidden), NO_PARAMS)
          res = r instanceof Promise ? await r : r
        }
        if (res !== null) head = res
      }
      if (list.length) await this.feed.append(list.map((n) => n.encode()))
      for (const n of list) src.cache.set(n.seq, n)
      return list
    })
    return nodes.map((n) => this.final(n))
  }

  iterator(prefix?: string | IteratorOptions, opts?: IteratorOptions): TrieIterator<T> {
    if (typeof prefix === 'object') return this.iterator('', prefix)
    const o = opts ?? {}
    const inner = new NodeIterator(this.iteratorHost(), normalizeKey(prefix ?? ''), o)
    return new TrieIterator(this, inner)
  }

  async list(
    prefix?: string | IteratorOptions,
    opts?: IteratorOptions,
  ): Promise<HypertrieNode<T>[]> {
    if (typeof prefix === 'object') return this.list('', prefix)
    const ite = new NodeIterator(this.iteratorHost(), normalizeKey(prefix ?? ''), opts ?? {})
    const out: HypertrieNode<T>[] = []
    for (;;) {
      // cached nodes come out synchronously; only reads are awaited
      let n = ite.nextSync()
      if (n === undefined) n = await ite.next()
      if (n === null) return out
      out.push(this.final(n))
    }
  }

  createReadStream(prefix?: string, opts?: IteratorOptions): Readable {
    return toStream(this.iterator(prefix ?? '', opts))
  }

  history(opts?: HistoryOptions): TrieHistory<T> {
    const host = { src: this.src, headSeq: () => this.headSeq() }
    return new TrieHistory(this, new NodeHistory(host, opts))
  }

  createHistoryStream(opts?: HistoryOptions): Readable {
    return toStream(this.history(opts))
  }

  /** Diff against a version number, another checkout of this feed, or a diff checkpoint. */
  diff(
    other: number | Hypertrie<T> | Uint8Array | null,
    prefix?: string | DiffOptions,
    opts?: DiffOptions,
  ): TrieDiff<T> {
    if (typeof prefix === 'object') return this.diff(other, '', prefix)
    let o = opts ?? {}
    if (other instanceof Uint8Array) {
      o = { ...o, checkpoint: other }
      other = 0
    }
    const right = typeof other === 'number' || other === null ? this.checkout(other ?? 0) : other
    const inner = new NodeDiff(
      { src: this.src, headSeq: () => this.headSeq() },
      { src: right.src, headSeq: () => right.headSeq() },
      prefix ?? '',
      o,
    )
    return new TrieDiff(this, inner)
  }

  createDiffStream(
    other: number | Hypertrie<T> | Uint8Array | null,
    prefix?: string | DiffOptions,
    opts?: DiffOptions,
  ): Readable {
    return toStream(this.diff(other, prefix, opts))
  }

  /**
   * A diff against `from` that visits only nodes this feed has stored (hypertrie@5's
   * reconnect: what a sparse replica can list without fetching).
   */
  reconnect(from: number | Hypertrie<T> | null, opts: DiffOptions = {}): TrieDiff<T> {
    return this.diff(from, { ...opts, reconnect: true })
  }

  /**
   * An object-mode stream of `{ type, key, value }` operations (or arrays of them); writes that
   * queue up while a batch runs go in the next batch (hypertrie@5's createWriteStream).
   */
  createWriteStream(): Writable {
    return new Writable({
      writev: (written: unknown[], cb: (err: Error | null) => void) => {
        let ops: BatchOp[]
        try {
          ops = written.flat().map(toBatchOp)
        } catch (err) {
          cb(err as Error)
          return
        }
        this.batch(ops).then(
          () => cb(null),
          (err: Error) => cb(err),
        )
      },
    })
  }

  /** A read-only view at `version` (0 and 1 are the empty trie). */
  checkout(version: number): Hypertrie<T> {
    const v = version || 1
    const opts: InternalOptions = {
      shared: this.shared,
      checkout: v,
      valueEncoding: this.valueEncoding ?? undefined,
      metadata: this.metadata,
    }
    return new Hypertrie<T>(null, opts)
  }

  snapshot(): Hypertrie<T> {
    return this.checkout(this.version)
  }

  /** Emits `change` whenever the newest node at or below `prefix` changes. */
  watch(prefix?: string | (() => void), onchange?: () => void): TrieWatcher {
    if (typeof prefix === 'function') return this.watch('', prefix)
    const w = new TrieWatcher(
      {
        prefixSeq: async (p) => (await this.getNode(p, { prefix: true }))?.seq ?? 0,
        removeWatcher: (x) => this.watchers.delete(x),
      },
      prefix ?? '',
      onchange,
    )
    this.watchers.add(w)
    this.startUpdateLoop()
    w.update()
    return w
  }

  // sparse readers learn of new blocks only by asking: long-poll while anyone watches
  private startUpdateLoop(): void {
    const feed = this.feed
    if (this.updateLoop || !feed.sparse || feed.writable || !feed.update) return
    this.updateLoop = true
    const loop = () => {
      if (this.watchers.size === 0 || this.shared.closed || !feed.update) {
        this.updateLoop = false
        return
      }
      feed.update({ ifAvailable: false }).then(loop, () => {
        this.updateLoop = false
      })
    }
    loop()
  }

  /** The feed's replication stream (a hypercore-protocol stream for @hyperstack/hypercore). */
  replicate(isInitiator: boolean, opts?: object): ReplicationStream {
    if (!this.feed.replicate) throw new InvalidArgumentError('this feed does not replicate')
    return this.feed.replicate(isInitiator, opts)
  }

  /** Stops watchers; a trie (not a checkout) also closes its feed. */
  async close(): Promise<void> {
    for (const w of [...this.watchers]) w.destroy()
    this.feed.removeListener('append', this.onappend)
    if (this.checkoutVersion || this.shared.closed) return
    this.shared.closed = true
    this.shared.ext?.destroy()
    await this.feed.close()
    this.emit('close')
  }

  private iteratorHost() {
    const ext = this.shared.ext
    return {
      src: this.src,
      headSeq: (o: ReadOptions) => this.headSeq(o),
      requestIterator: ext
        ? (head: number, prefix: string, flags: number, cp: Buffer | null) =>
            ext.iterator(head, prefix, flags, cp)
        : null,
    }
  }

  private extensionHost() {
    return {
      feed: this.shared.feed,
      emit: (event: 'extension-get' | 'extension-iterator', key: string) => this.emit(event, key),
      cacheBlock: (seq: number, data: unknown) => this.src.store(seq, data),
      // the original runs `checkout(head + 1).get(key)`: the same walk from seq `head`, here
      // without building a checkout for every request
      answerGet: async (head: number, key: string, onseq: (seq: number) => void) => {
        if (this.shared.closed) return
        const src = this.src
        await lookup(src, head, lookupTarget(src, key, false), { wait: false, onseq })
      },
      answerIterator: async (
        m: ExtensionIterator,
        onseq: (seq: number) => void,
        stop: () => boolean,
      ) => {
        const checkpointed = !!m.checkpoint
        let ite: NodeIterator | null = null
        const record = (seq: number) => {
          if (checkpointed && !ite?.opened) return
          onseq(seq)
        }
        const base = { extension: false, wait: false, onseq: record }
        ite = m.key
          ? new NodeIterator(this.checkout(m.head + 1).iteratorHost(), m.key, base)
          : new NodeIterator(this.iteratorHost(), '', { ...base, checkpoint: m.checkpoint })
        while (!stop()) {
          if ((await ite.next()) === null) break
        }
      },
    }
  }

  /** Lookup-extension counters (requests, answers, pushes, timeouts), for tests and benchmarks. */
  get extensionStats(): LookupExtensionStats {
    return this.shared.ext ? this.shared.ext.stats : { ...NO_EXTENSION_STATS }
  }
}

/** A written `{ type, key, value }` checked (ERR_INVALID_ARGUMENT for anything else). */
function toBatchOp(op: unknown): BatchOp {
  if (typeof op !== 'object' || op === null) {
    throw new InvalidArgumentError('A write stream takes { type, key, value } operations')
  }
  const { type, key, value, hidden, flags } = op as Record<string, unknown>
  if (typeof key !== 'string') throw new InvalidArgumentError('An operation needs a string key')
  if (type !== undefined && type !== 'put' && type !== 'del') {
    throw new InvalidArgumentError(`Unknown operation type ${String(type)}`)
  }
  return {
    type,
    key,
    value,
    hidden: hidden === true,
    flags: typeof flags === 'number' ? flags : undefined,
  }
}

/** Anything with a promise-returning `next()` that ends with null. */
interface NextSource<X> {
  next(): Promise<X | null>
}

function toStream<X>(src: NextSource<X>): Readable {
  return new Readable({
    read(cb) {
      src.next().then(
        (x) => {
          this.push(x)
          cb(null)
        },
        (err: Error) => cb(err),
      )
    },
  })
}

/** Async iterable over finalised nodes; `checkpoint()` resumes it later. */
/** A stored node as TrieIterator.nextNodeSync hands it out (read only). */
export interface StoredNodeView {
  readonly seq: number
  readonly key: string
  /** The value's bytes (null when the node has none), viewed on first read. */
  readonly valueBuffer: Buffer | null
  /** User flags, as HypertrieNode.flags. */
  readonly userFlags: number
  readonly hidden: boolean
}

export class TrieIterator<T = unknown> implements AsyncIterable<HypertrieNode<T>> {
  constructor(
    private readonly trie: Hypertrie<T>,
    private readonly inner: NodeIterator,
  ) {}

  /**
   * The next node when it can be had without waiting (cached or in the feed's memory), null at
   * the end, undefined when next() has to wait for a read.
   */
  nextSync(): HypertrieNode<T> | null | undefined {
    const n = this.inner.nextSync()
    return n === undefined ? undefined : n === null ? null : this.trie.final(n)
  }

  /**
   * nextSync without building the public node: the stored node, its value left undecoded (and
   * its bytes not even viewed until `valueBuffer` is read). For scans over huge listings.
   */
  nextNodeSync(): StoredNodeView | null | undefined {
    return this.inner.nextSync()
  }

  /** next() as nextNodeSync gives nodes. */
  nextNode(): Promise<StoredNodeView | null> {
    return this.inner.next()
  }

  next(): Promise<HypertrieNode<T> | null> {
    try {
      // a cached node resolves at once, without an async function per entry
      const n = this.inner.nextSync()
      if (n !== undefined) return Promise.resolve(n === null ? null : this.trie.final(n))
    } catch (err) {
      return Promise.reject(err)
    }
    return this.inner.next().then((n) => (n === null ? null : this.trie.final(n)))
  }

  checkpoint(): Buffer {
    return this.inner.checkpoint()
  }

  [Symbol.asyncIterator](): AsyncIterator<HypertrieNode<T>> {
    return {
      next: () =>
        this.next().then(
          (value): IteratorResult<HypertrieNode<T>> =>
            value === null ? { done: true, value: undefined } : { done: false, value },
        ),
    }
  }
}

export class TrieHistory<T = unknown> implements AsyncIterable<HypertrieNode<T>> {
  constructor(
    private readonly trie: Hypertrie<T>,
    private readonly inner: NodeHistory,
  ) {}

  async next(): Promise<HypertrieNode<T> | null> {
    const n = await this.inner.next()
    return n ? this.trie.final(n) : null
  }

  destroy(): void {
    this.inner.destroy()
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<HypertrieNode<T>> {
    for (let n = await this.next(); n !== null; n = await this.next()) yield n
  }
}

export class TrieDiff<T = unknown> implements AsyncIterable<HypertrieDiffEntry<T>> {
  constructor(
    private readonly trie: Hypertrie<T>,
    private readonly inner: NodeDiff,
  ) {}

  async next(): Promise<HypertrieDiffEntry<T> | null> {
    const d: RawDiff | null = await this.inner.next()
    if (d === null) return null
    return {
      key: d.key,
      left: d.left ? this.trie.final(d.left) : null,
      right: d.right ? this.trie.final(d.right) : null,
    }
  }

  checkpoint(): Buffer {
    return this.inner.checkpoint()
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<HypertrieDiffEntry<T>> {
    for (let n = await this.next(); n !== null; n = await this.next()) yield n
  }
}
