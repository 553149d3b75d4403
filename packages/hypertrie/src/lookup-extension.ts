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
/** How long a lookup waits for an answer before reading on its own (and stops waiting). */
export const ANSWER_TIMEOUT_MS = 1000
/** The same before any peer has answered (a peer may not run the extension at all). */
export const FIRST_ANSWER_TIMEOUT_MS = 250

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

type Pusher = (seq: number) => Promise<boolean>

interface AnswerWaiter {
  seq: number
  resolve(): void
}

/**
 * Collects seqs for one peer and sends them as cache messages of at most 128. With a pusher the
 * blocks themselves go first: a peer that stores pushed blocks has them before it reads the
 * cache message, so its lookup needs no further round trip (hypertrie@5 peers refuse pushes
 * and fetch the listed blocks as before).
 */
class CacheBatch {
  blocks: number[] = []
  start = 0
  end = 0
  private pushes: Promise<unknown>[] = []
  private sending: Promise<void> = Promise.resolve()
  constructor(
    private readonly channel: TrieExtensionChannel,
    private readonly peer: unknown,
    private readonly pusher: Pusher | null,
  ) {}

  push(seq: number): void {
    const len = this.blocks.push(seq)
    if (this.pusher !== null) this.pushes.push(this.pusher(seq).catch(() => false))
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
    const message = encodeExtensionMessage({ cache })
    if (this.pushes.length === 0) {
      this.channel.send(message, this.peer)
      return
    }
    const pushes = this.pushes
    this.pushes = []
    this.sending = this.sending
      .then(() => Promise.all(pushes))
      .then(() => this.channel.send(message, this.peer))
      .catch(() => {})
  }
}

export class LookupExtension {
  private readonly host: ExtensionHost
  channel: TrieExtensionChannel | null = null
  private active = 0
  /** Counters for tests and benchmarks. */
  readonly stats = { sentGets: 0, sentIterators: 0, answered: 0, cachesReceived: 0 }
  /**
   * Whether peers answer our requests: unknown until the first answer or timeout; a timeout
   * (no answer listing a block we wait for) makes lookups stop waiting until an answer comes.
   */
  private answering: 'unknown' | 'yes' | 'no' = 'unknown'
  private waiters: AnswerWaiter[] = []

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

  /** True unless peers have let a request time out without answering since they last did. */
  get peersAnswer(): boolean {
    return this.answering !== 'no'
  }

  /**
   * Resolves once a cache message listing `seq` has been handled (blocks a peer pushes come
   * before its cache message, so they are stored by then), or after ANSWER_TIMEOUT_MS
   * (FIRST_ANSWER_TIMEOUT_MS before any answer); a timeout stops lookups waiting until a peer
   * answers again.
   */
  answerWith(seq: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const waiter: AnswerWaiter = {
        seq,
        resolve: () => {
          clearTimeout(timer)
          resolve()
        },
      }
      const timer = setTimeout(
        () => {
          this.answering = 'no'
          this.waiters = this.waiters.filter((w) => w !== waiter)
          resolve()
        },
        this.answering === 'yes' ? ANSWER_TIMEOUT_MS : FIRST_ANSWER_TIMEOUT_MS,
      )
      timer.unref?.()
      this.waiters.push(waiter)
    })
  }

  private wake(blocks: number[]): void {
    if (this.waiters.length === 0) return
    const listed = new Set(blocks)
    const waiting: AnswerWaiter[] = []
    for (const w of this.waiters) {
      if (listed.has(w.seq)) w.resolve()
      else waiting.push(w)
    }
    this.waiters = waiting
  }

  onmessage(buf: Uint8Array, peer: unknown): void {
    let message: ExtensionMessage
    try {
      message = decodeExtensionMessage(buf)
    } catch {
      return // undecodable messages are ignored, as the original does
    }
    if (message.cache) {
      this.oncache(message.cache)
      this.answering = 'yes'
      this.wake(message.cache.blocks)
    }
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

  private pusher(peer: unknown): Pusher | null {
    const feed = this.host.feed
    const push = feed.push
    return push ? (seq) => push.call(feed, peer, seq) : null
  }

  private onget(get: ExtensionGet, peer: unknown): void {
    if (!get.key || !this.channel || this.active >= MAX_ACTIVE) return
    this.active++
    this.stats.answered++
    this.host.emit('extension-get', get.key)
    const batch = new CacheBatch(this.channel, peer, this.pusher(peer))
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
    const batch = new CacheBatch(this.channel, peer, this.pusher(peer))
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
