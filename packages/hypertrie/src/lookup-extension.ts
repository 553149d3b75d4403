// hypertrie@5's "hypertrie" feed extension: a sparse reader broadcasts the lookup it is about to
// make; peers run it locally and answer with the seqs it touched, so the reader fetches them all
// in about one round trip instead of one per trie level.
import {
  type DownloadEvents,
  type TrieExtensionChannel,
  type TrieFeed,
  downloadEvents,
} from './feed.js'
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
  /** Caches the node of a block the feed just stored (a lookup is waiting for it). */
  cacheBlock(seq: number, data: unknown): void
}

/** Pushes blocks to the peer that asked, before the cache message naming them is sent. */
interface Pusher {
  /** One block, pushed as soon as the walk finds it. */
  one(seq: number): Promise<unknown>
  /** A whole message's blocks at once, their frames leaving in one write (null: push one by one). */
  all: ((seqs: readonly number[]) => Promise<unknown>) | null
}

/**
 * Collects seqs for one peer and sends them as cache messages of at most 128. With a pusher the
 * blocks themselves go first: a peer that stores pushed blocks has them before it reads the
 * cache message, so its lookup needs no further round trip (hypertrie@5 peers refuse pushes
 * and fetch the listed blocks as before). A feed that pushes batches gets each message's blocks
 * together (one write: on a delayed link a second write can arrive a timer tick later); else
 * each block is pushed as the walk finds it.
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
    if (this.pusher !== null && this.pusher.all === null) {
      this.pushes.push(this.pusher.one(seq).catch(() => false))
    }
    if (len === 1 || seq < this.start) this.start = seq
    if (len === 1 || seq >= this.end) this.end = seq + 1
    if (len >= FLUSH_BATCH) {
      this.send()
      this.blocks = []
      this.start = this.end = 0
    }
  }

  send(): void {
    const blocks = this.blocks
    if (!blocks.length) return
    const cache: ExtensionCache = { blocks, start: this.start, end: this.end }
    const message = encodeExtensionMessage({ cache })
    const all = this.pusher?.all ?? null
    if (all !== null) this.pushes.push(all(blocks).catch(() => false))
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

/**
 * The listed blocks the feed lacks: a peer that pushed them has them stored already, and a
 * download of stored blocks is work for nothing (a selection, a pass over the peers). Feeds
 * whose `has` is asynchronous get the whole list, as the original fetches it.
 */
function missingBlocks(feed: TrieFeed, blocks: number[]): number[] {
  if (!feed.has) return blocks
  const missing: number[] = []
  for (const seq of blocks) {
    const has = feed.has(seq)
    if (typeof has !== 'boolean') {
      has.catch(() => {})
      return blocks
    }
    if (!has) missing.push(seq)
  }
  return missing
}

/** What the lookup extension has done so far (`Hypertrie#extensionStats`). */
export interface LookupExtensionStats {
  /** get requests broadcast (one per lookup that missed a block). */
  sentGets: number
  /** iterator requests broadcast. */
  sentIterators: number
  /** peers' requests answered. */
  answered: number
  /** non-empty cache messages (answers) received. */
  cachesReceived: number
  /** blocks pushed to peers with answers. */
  pushed: number
  /** waits for a peer's answer that ended without one (the lookup then read on its own). */
  waitTimeouts: number
}

/** Counters at zero (a fresh extension's, or a trie's without one). */
export function noLookupStats(): LookupExtensionStats {
  return {
    sentGets: 0,
    sentIterators: 0,
    answered: 0,
    cachesReceived: 0,
    pushed: 0,
    waitTimeouts: 0,
  }
}

export class LookupExtension {
  private readonly host: ExtensionHost
  channel: TrieExtensionChannel | null = null
  private active = 0
  /** Counters for tests and benchmarks. */
  readonly stats: LookupExtensionStats = noLookupStats()
  /**
   * Whether peers answer our requests: unknown until the first answer or timeout; a timeout
   * (no answer listing a block we wait for) makes lookups stop waiting until an answer comes.
   */
  private answering: 'unknown' | 'yes' | 'no' = 'unknown'
  /** Our get requests not answered yet, oldest first: each one's timeout (see sendGet). */
  private readonly unanswered: NodeJS.Timeout[] = []
  /** Lookups waiting to send theirs until fewer are unanswered. */
  private readonly queuedGets: (() => void)[] = []
  private destroyed = false
  /** When we last sent a request (ms since the epoch). */
  private lastAsked = Number.NEGATIVE_INFINITY
  /** Lookups waiting for a block, by seq. */
  private readonly waiters = new Map<number, (() => void)[]>()
  private readonly ondownload = (seq: number, data: unknown): void => this.arrived(seq, data)
  private readonly downloads: DownloadEvents | null

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
    // only lookups that asked peers wait for blocks, so only then is there anything to wake
    this.downloads = this.channel ? downloadEvents(feed) : null
    this.downloads?.on('verified', this.ondownload)
    this.downloads?.on('download', this.ondownload)
  }

  /** Whether we sent a lookup or iterator request within the last answer timeout. */
  private askedRecently(): boolean {
    return Date.now() - this.lastAsked < ANSWER_TIMEOUT_MS
  }

  private get(head: number, key: string): void {
    if (!this.channel || this.destroyed) return
    this.lastAsked = Date.now()
    this.stats.sentGets++
    this.channel.broadcast(encodeExtensionMessage({ get: { head, key } }))
  }

  /**
   * Broadcasts a lookup's get request, or queues it while MAX_ACTIVE of ours are unanswered: a
   * peer runs at most MAX_ACTIVE requests at once and drops the rest (hypertrie@5 does too), and
   * a dropped request costs its lookup a whole answer timeout (48 concurrent reads of a replica
   * took 1 s instead of 35 ms). A request counts as answered at the next answer that arrives
   * (a peer finishes a request before it answers, so fewer of ours are then running there) or
   * after ANSWER_TIMEOUT_MS. Null when sent now, else resolves once sent.
   */
  sendGet(head: number, key: string): Promise<void> | null {
    if (this.destroyed) return null
    if (this.unanswered.length < MAX_ACTIVE || !this.peersAnswer) {
      this.send(head, key)
      return null
    }
    return new Promise<void>((resolve) => {
      this.queuedGets.push(() => {
        if (!this.destroyed) this.send(head, key)
        resolve()
      })
    })
  }

  private send(head: number, key: string): void {
    const slot = setTimeout(() => this.answered(slot), ANSWER_TIMEOUT_MS)
    slot.unref?.()
    this.unanswered.push(slot)
    this.get(head, key)
  }

  /** One of our requests answered (the oldest, or `slot` timing out): the next queued goes. */
  private answered(slot?: NodeJS.Timeout): void {
    const i = slot === undefined ? 0 : this.unanswered.indexOf(slot)
    if (i === -1 || this.unanswered.length === 0) return
    clearTimeout(this.unanswered[i])
    this.unanswered.splice(i, 1)
    this.queuedGets.shift()?.()
  }

  iterator(head: number, key: string, flags: number, checkpoint: Buffer | null): void {
    if (!this.channel) return
    this.lastAsked = Date.now()
    this.stats.sentIterators++
    this.channel.broadcast(encodeExtensionMessage({ iterator: { head, key, flags, checkpoint } }))
  }

  /** True unless peers have let a request time out without answering since they last did. */
  get peersAnswer(): boolean {
    // without a channel nothing was asked, so no answer is coming
    return this.channel !== null && this.answering !== 'no'
  }

  /**
   * Resolves once block `seq` has landed (the feed's 'verified' or 'download' event: a peer
   * pushed it; its node is decoded from those bytes), or a
   * cache message listing it has been handled (blocks a peer pushes come before its cache
   * message, so they are stored by then), or after ANSWER_TIMEOUT_MS (FIRST_ANSWER_TIMEOUT_MS
   * before any answer); a timeout stops lookups waiting until a peer answers again.
   */
  answerWith(seq: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(
        () => {
          this.answering = 'no'
          this.stats.waitTimeouts++
          this.drop(seq, done)
          // Nothing to wait for now: queued lookups go on at once (they read on their own).
          for (const send of this.queuedGets.splice(0)) send()
          resolve()
        },
        this.answering === 'yes' ? ANSWER_TIMEOUT_MS : FIRST_ANSWER_TIMEOUT_MS,
      )
      timer.unref?.()
      const done = (): void => {
        clearTimeout(timer)
        resolve()
      }
      const list = this.waiters.get(seq)
      if (list) list.push(done)
      else this.waiters.set(seq, [done])
    })
  }

  private drop(seq: number, waiter: () => void): void {
    const list = this.waiters.get(seq)
    if (!list) return
    const i = list.indexOf(waiter)
    if (i !== -1) list.splice(i, 1)
    if (list.length === 0) this.waiters.delete(seq)
  }

  /**
   * A block landed: a lookup waiting for it decodes it from the bytes at hand and goes on. While
   * any lookup waits, other blocks are decoded too: an answer's pushes can land out of walk order
   * (a block with a shorter proof leaves first), and the walk then finds them cached instead of
   * reading them back from storage. On a sparse feed, blocks landing while our requests are
   * recent are decoded too: they are a listing's or a lookup's answer, the entries the stats and
   * reads after it walk to. (A download decodes nothing it is not waiting for: decoding all of a
   * 10k-block metadata download took 15-20% longer.)
   */
  private arrived(seq: number, data: unknown): void {
    if (this.waiters.size === 0 && !(this.host.feed.sparse && this.askedRecently())) return
    const list = this.waiters.get(seq)
    if (!list) {
      this.host.cacheBlock(seq, data)
      return
    }
    this.waiters.delete(seq)
    this.host.cacheBlock(seq, data)
    for (const done of list) done()
  }

  private wake(blocks: number[]): void {
    if (this.waiters.size === 0) return
    for (const seq of blocks) {
      const list = this.waiters.get(seq)
      if (!list) continue
      this.waiters.delete(seq)
      for (const done of list) done()
    }
  }

  /** Stops answering and waiting (the trie is closing). */
  destroy(): void {
    this.destroyed = true
    this.channel?.destroy?.()
    for (const slot of this.unanswered.splice(0)) clearTimeout(slot)
    // queued lookups go on (sending nothing) and end on the closed trie
    for (const send of this.queuedGets.splice(0)) send()
    for (const list of this.waiters.values()) for (const done of list) done()
    this.waiters.clear()
    this.downloads?.removeListener('verified', this.ondownload)
    this.downloads?.removeListener('download', this.ondownload)
  }

  onmessage(buf: Uint8Array, peer: unknown): void {
    let message: ExtensionMessage
    try {
      message = decodeExtensionMessage(buf)
    } catch {
      return // undecodable messages are ignored, as the original does
    }
    if (message.cache) {
      this.answered()
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
    const missing = missingBlocks(feed, blocks)
    if (missing.length === 0) return
    if (feed.download) {
      try {
        const r = feed.download({ start: cache.start, end: cache.end, blocks: missing })
        if (r instanceof Promise) r.catch(() => {})
      } catch {
        // a range the feed refuses is simply not prefetched
      }
      return
    }
    for (const seq of missing) feed.get(seq, { valueEncoding: 'binary' }).catch(() => {})
  }

  private pusher(peer: unknown): Pusher | null {
    const feed = this.host.feed
    const push = feed.push
    if (!push) return null
    const stats = this.stats
    const pushBatch = feed.pushBatch
    return {
      one: (seq) =>
        push.call(feed, peer, seq).then((sent) => {
          if (sent) stats.pushed++
          return sent
        }),
      all: pushBatch
        ? (seqs) =>
            pushBatch.call(feed, peer, seqs).then((sent) => {
              for (const s of sent) if (s) stats.pushed++
            })
        : null,
    }
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
