// hypertrie@5's "hypertrie" feed extension: a sparse reader broadcasts the lookup it is about to
// make; peers run it locally and answer with the seqs it touched, so the reader fetches them all
// in about one round trip instead of one per trie level.
import type { TrieExtensionChannel, TrieFeed } from './feed.js'
import {
  type ExtensionCache,
  type ExtensionGet,
  type ExtensionIterator,
  type ExtensionMessage,
  decodeExtensionMessage,
  encodeExtensionMessage,
} from './messages/extension-message.js'

export const EXTENSION_NAME = 'hypertrie'
const MAX_ACTIVE = 32
const FLUSH_BATCH = 128
const MAX_PASSIVE_BATCH = 2048
const MAX_ACTIVE_BATCH = MAX_PASSIVE_BATCH + FLUSH_BATCH

/** What answering needs from the trie. */
export interface ExtensionHost {
  readonly feed: TrieFeed
  /** Runs `checkout(head + 1).get(key)` without waiting, reporting each seq read. */
  answerGet(head: number, key: string, onseq: (seq: number) => void): Promise<void>
  /** Iterates as the original responder does, until `stop()` says enough. */
  answerIterator(
    message: ExtensionIterator,
    onseq: (seq: number) => void,
    stop: () => boolean,
  ): Promise<void>
  emit(event: 'extension-get' | 'extension-iterator', key: string): boolean
}

/** Collects seqs for one peer and sends them as cache messages of at most 128. */
class CacheBatch {
  blocks: number[] = []
  start = 0
  end = 0
  constructor(
    private readonly channel: TrieExtensionChannel,
    private readonly peer: unknown,
  ) {}

  push(seq: number): void {
    const len = this.blocks.push(seq)
    if (len === 1 || seq < this.start) this.start = seq
    if (len === 1 || seq >= this.end) this.end = seq + 1
    if (len >= FLUSH_BATCH) {
      this.send()
      this.blocks = []
      this.start = this.end = 0
    }
  }

  send(): void {
    if (!this.blocks.length) return
    const cache: ExtensionCache = { blocks: this.blocks, start: this.start, end: this.end }
    this.channel.send(encodeExtensionMessage({ cache }), this.peer)
  }
}

export class LookupExtension {
  private readonly host: ExtensionHost
  channel: TrieExtensionChannel | null = null
  private active = 0
  /** Counters for tests and benchmarks. */
  readonly stats = { sentGets: 0, sentIterators: 0, answered: 0, cachesReceived: 0 }

  constructor(host: ExtensionHost) {
    this.host = host
    const feed = host.feed
    if (feed.registerExtension) {
      try {
        this.channel = feed.registerExtension(EXTENSION_NAME, {
          encoding: 'binary',
          onmessage: (message, peer) => this.onmessage(message, peer),
        })
      } catch {
        // another trie on this feed registered it already (the core allows one per name):
        // that trie answers peers; this one reads without asking
        this.channel = null
      }
    }
  }

  get(head: number, key: string): void {
    if (!this.channel) return
    this.stats.sentGets++
    this.channel.broadcast(encodeExtensionMessage({ get: { head, key } }))
  }

  iterator(head: number, key: string, flags: number, checkpoint: Buffer | null): void {
    if (!this.channel) return
    this.stats.sentIterators++
    this.channel.broadcast(encodeExtensionMessage({ iterator: { head, key, flags, checkpoint } }))
  }

  onmessage(buf: Uint8Array, peer: unknown): void {
    let message: ExtensionMessage
    try {
      message = decodeExtensionMessage(buf)
    } catch {
      return // undecodable messages are ignored, as the original does
    }
    if (message.cache) this.oncache(message.cache)
    if (message.iterator) this.oniterator(message.iterator, peer)
    if (message.get) this.onget(message.get, peer)
  }

  private oncache(cache: ExtensionCache): void {
    if (!cache.blocks.length) return
    this.stats.cachesReceived++
    const blocks =
      cache.blocks.length > MAX_ACTIVE_BATCH
        ? cache.blocks.slice(0, MAX_ACTIVE_BATCH)
        : cache.blocks
    const feed = this.host.feed
    if (feed.download) {
      try {
        const r = feed.download({ start: cache.start, end: cache.end, blocks })
        if (r instanceof Promise) r.catch(() => {})
      } catch {
        // a range the feed refuses is simply not prefetched
      }
      return
    }
    for (const seq of blocks) feed.get(seq, { valueEncoding: 'binary' }).catch(() => {})
  }

  private onget(get: ExtensionGet, peer: unknown): void {
    if (!get.key || !this.channel || this.active >= MAX_ACTIVE) return
    this.active++
    this.stats.answered++
    this.host.emit('extension-get', get.key)
    const batch = new CacheBatch(this.channel, peer)
    this.host
      .answerGet(get.head, get.key, (seq) => batch.push(seq))
      .catch(() => {})
      .finally(() => {
        this.active--
        batch.send()
      })
  }

  private oniterator(it: ExtensionIterator, peer: unknown): void {
    // the original's guard is `key === null`, which a decoded message never is: an empty key
    // with no checkpoint iterates the latest trie from the root
    if (!this.channel || this.active >= MAX_ACTIVE) return
    this.active++
    this.stats.answered++
    this.host.emit('extension-iterator', it.key)
    const batch = new CacheBatch(this.channel, peer)
    let total = 0
    this.host
      .answerIterator(
        it,
        (seq) => {
          total++
          batch.push(seq)
        },
        () => total >= MAX_ACTIVE_BATCH,
      )
      .catch(() => {})
      .finally(() => {
        this.active--
        batch.send()
      })
  }
}
