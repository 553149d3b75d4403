// The subset of a hypercore a trie uses. @hyperstack/hypercore's Hypercore satisfies it; tests
// may hand in anything else that does (an adapter over hypercore@9, an in-memory log).

export interface TrieFeedGetOptions {
  wait?: boolean
  timeout?: number
  valueEncoding?: 'binary'
}

export interface TrieFeedUpdateOptions {
  ifAvailable?: boolean
  minLength?: number
}

/** What `registerExtension` returns: sends to one peer or to all. */
export interface TrieExtensionChannel {
  send(message: Buffer, peer: unknown): void
  broadcast(message: Buffer): void
  destroy?(): void
}

export interface TrieExtensionHandlers {
  encoding?: 'binary'
  onmessage(message: Buffer, peer: unknown): void
}

/**
 * A replication stream: a duplex that a socket pipes into and back out of
 * (`socket.pipe(stream).pipe(socket)`), with the stream events ('data', 'error', 'close').
 */
export interface ReplicationStream extends NodeJS.WritableStream {
  pipe<T extends NodeJS.WritableStream>(dest: T): T
  destroy(err?: Error): void
}

/** Where a block lies in a larger buffer (filled in by TrieFeed.getCachedSpan). */
export interface BlockSpan {
  start: number
  end: number
}

export interface TrieFeed {
  readonly key: Buffer | null
  readonly discoveryKey: Buffer | null
  readonly length: number
  readonly writable: boolean
  readonly sparse?: boolean
  ready(): Promise<void>
  append(blocks: Buffer | Buffer[]): Promise<unknown>
  /** Resolves to the block's bytes (checked by the trie: anything else is a DecodeError). */
  get(index: number, opts?: TrieFeedGetOptions): Promise<unknown>
  has?(index: number): boolean | Promise<boolean>
  /**
   * The bytes of stored blocks [start, end) back to back, in one storage read
   * (@hyperstack/hypercore's `getRange`); rejects when any of them is not stored.
   */
  getRange?(start: number, end: number): Promise<Uint8Array>
  /**
   * Block `index`'s bytes at once when the feed holds them in memory (e.g. a window a listing
   * read), else null: the trie then decodes the node without a promise.
   */
  getCached?(index: number): Uint8Array | null
  /**
   * getCached without making a view: the buffer holding block `index`, its bytes at
   * `span.start` up to `span.end` (set by the call), or null.
   */
  getCachedSpan?(index: number, span: BlockSpan): Uint8Array | null
  update?(opts?: TrieFeedUpdateOptions): Promise<unknown>
  download?(range: { start: number; end: number; blocks?: number[] }): unknown
  registerExtension?(name: string, handlers: TrieExtensionHandlers): TrieExtensionChannel
  /**
   * Sends block `index` unasked to `peer` (an extension message's sender), when that peer stores
   * pushed blocks (@hyperstack/hypercore's `push`); resolves whether it was sent.
   */
  push?(peer: unknown, index: number): Promise<boolean>
  /**
   * Pushes several blocks to `peer` as `push` does, their frames leaving together in one write
   * (@hyperstack/hypercore's `pushBatch`); resolves which ones were sent.
   */
  pushBatch?(peer: unknown, indexes: readonly number[]): Promise<boolean[]>
  replicate?(isInitiator: boolean, opts?: object): ReplicationStream
  close(): Promise<void>
  on(event: 'append' | 'close', listener: () => void): unknown
  removeListener(event: 'append' | 'close', listener: () => void): unknown
}

/**
 * A feed that emits 'download' (index, data) once it has verified and stored a block a peer sent
 * (hypercore does): a lookup waiting for a pushed block goes on as soon as it lands. Lookups on
 * feeds without the event wait for the peer's answer message instead. A feed may also emit
 * 'verified' (index, data) as soon as such a block checked out, before it is stored: verified
 * bytes are the block's, so a lookup can go on from them without waiting for the write.
 */
export interface DownloadEvents {
  on(event: 'download' | 'verified', listener: (index: number, data: unknown) => void): unknown
  removeListener(
    event: 'download' | 'verified',
    listener: (index: number, data: unknown) => void,
  ): unknown
}

/** Any EventEmitter-like feed can carry 'download' events; whether they fire is up to the feed. */
export function downloadEvents(feed: TrieFeed): DownloadEvents | null {
  const f: unknown = feed
  return isDownloadEvents(f) ? f : null
}

function isDownloadEvents(f: unknown): f is DownloadEvents {
  if (typeof f !== 'object' || f === null) return false
  const o = f as { on?: unknown; removeListener?: unknown }
  return typeof o.on === 'function' && typeof o.removeListener === 'function'
}
