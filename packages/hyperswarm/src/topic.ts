// One joined topic: its DHT announce/lookup loop, re-run every 5-10 minutes (as
// @hyperswarm/discovery@2), turning replies into peers and answering flush().
import { EventEmitter } from 'node:events'
import type { DiscoveryDHT, DiscoveryReply } from './discovery-dht.js'
import { isAsyncIterable } from './discovery-dht.js'
import type { PeerAddress, SwarmPeer } from './peer.js'

export interface TopicOptions {
  announce: boolean
  lookup: boolean
  /** Port to announce; 0 lets the DHT record our UDP source port. */
  port: number
  localAddress: PeerAddress | null
  /** Delay range in ms before the next round: [min, max). Default [300000, 600000]. */
  interval: readonly [number, number]
}

/** Replies with the largest peer list needed before flush() resolves early (as the original). */
const EARLY_FLUSH_REPLIES = 6
/** Peer lists this long or longer never count as a new maximum (as the original). */
const EARLY_FLUSH_MAX_LIST = 16

/**
 * Events: 'peer' (SwarmPeer), 'updating', 'update' (Error | null) after each round.
 */
export class SwarmTopic extends EventEmitter {
  readonly key: Buffer
  readonly announce: boolean
  readonly lookup: boolean
  destroyed = false
  /** Completed rounds. */
  rounds = 0

  private readonly dht: DiscoveryDHT
  private readonly opts: TopicOptions
  private timer: NodeJS.Timeout | null = null
  private flushPending = false
  private flushWaiters: Array<() => void> = []
  private abortRound: (() => void) | null = null

  constructor(dht: DiscoveryDHT, key: Buffer, opts: TopicOptions) {
    super()
    this.dht = dht
    this.key = key
    this.opts = opts
    this.announce = opts.announce
    this.lookup = opts.lookup
  }

  start(): void {
    if (!this.destroyed && this.timer === null && this.abortRound === null) void this.round()
  }

  /** Resolves when the current round has reported enough peers, or ended. */
  flush(): Promise<void> {
    if (!this.flushPending) return Promise.resolve()
    return new Promise((resolve) => this.flushWaiters.push(resolve))
  }

  /** Stops the loop; unannounces when announcing. Never rejects. */
  async destroy(): Promise<void> {
    if (this.destroyed) return
    this.destroyed = true
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    this.abortRound?.()
    this.resolveFlush()
    if (!this.announce) return
    try {
      await this.dht.unannounce(this.key, this.announceOptions())
    } catch {
      // Leaving is best effort: the records expire by themselves after 8-16 minutes.
    }
  }

  private announceOptions(): { port: number; localAddress?: PeerAddress } {
    const opts: { port: number; localAddress?: PeerAddress } = { port: this.opts.port }
    if (this.opts.localAddress !== null) opts.localAddress = this.opts.localAddress
    return opts
  }

  private async round(): Promise<void> {
    this.timer = null
    this.flushPending = true
    let aborted = false
    this.abortRound = () => {
      aborted = true
    }
    this.emit('updating')

    let maxReplies = 1
    let maxCount = 0
    let maxLocalReplies = 1
    let maxLocalCount = 0
    let error: Error | null = null

    try {
      const localAddress = this.opts.localAddress
      const result = this.announce
        ? this.dht.announce(this.key, this.announceOptions())
        : this.dht.lookup(this.key, localAddress !== null ? { localAddress } : {})
      if (isAsyncIterable<DiscoveryReply>(result)) {
        for await (const reply of result) {
          if (aborted || this.destroyed) break
          this.onReply(reply)
          const peers = reply.peers?.length ?? 0
          const locals = reply.localPeers?.length ?? 0
          if (reply.peers) {
            if (peers > maxReplies && peers < EARLY_FLUSH_MAX_LIST) {
              maxReplies = peers
              maxCount = 1
            } else if (peers >= maxReplies) maxCount++
          }
          if (reply.localPeers) {
            if (locals > maxLocalReplies && locals < EARLY_FLUSH_MAX_LIST) {
              maxLocalReplies = locals
              maxLocalCount = 1
            } else if (locals >= maxLocalReplies) maxLocalCount++
          }
          if (maxCount >= EARLY_FLUSH_REPLIES || maxLocalCount >= EARLY_FLUSH_REPLIES) {
            this.resolveFlush()
          }
        }
      } else {
        await result
      }
    } catch (err) {
      error = err instanceof Error ? err : new Error(String(err))
    }

    this.abortRound = null
    if (this.destroyed) return
    this.rounds++
    this.emit('update', error)
    this.resolveFlush()
    const [min, max] = this.opts.interval
    this.timer = setTimeout(() => void this.round(), min + Math.random() * (max - min))
    this.timer.unref()
  }

  private onReply(reply: DiscoveryReply): void {
    const topic = this.key
    const to = reply.to ?? null
    for (const p of reply.localPeers ?? []) {
      this.emitPeer({ host: p.host, port: p.port, local: true, to, referrer: null, topic })
    }
    const node = reply.node
    const referrer = { id: node.id ?? null, host: node.host, port: node.port }
    for (const p of reply.peers ?? []) {
      this.emitPeer({ host: p.host, port: p.port, local: false, to, referrer, topic })
    }
  }

  private emitPeer(peer: SwarmPeer): void {
    if (peer.port <= 0 || peer.port > 65535) return
    this.emit('peer', peer)
  }

  private resolveFlush(): void {
    this.flushPending = false
    const waiters = this.flushWaiters
    this.flushWaiters = []
    for (const resolve of waiters) resolve()
  }
}
