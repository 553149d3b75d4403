// The dial queue of hyperswarm@2: one PeerInfo per `host:port@topic`, dialled by priority,
// retried with backoff after a failure, forgotten when unresponsive, never retried once banned.
// Bounded: at most `maxSize` peers are tracked; newcomers beyond that are refused.
import { EventEmitter } from 'node:events'
import { BulkTimer } from './bulk-timer.js'
import { Deduplicator } from './dedup.js'
import { ConnectedToSelfError, PeerRemovedError } from './errors.js'
import { PeerInfo, type PeerInfoOwner } from './peer-info.js'
import { type SwarmPeer, peerKey } from './peer.js'
import { ShuffledQueue } from './shuffled-queue.js'

export interface PeerQueueOptions {
  /** Delays in ms before retry 1, 2 and 3 of a failed peer. Default [1000, 5000, 15000]. */
  requeue?: number[]
  forget?: {
    /** ms after which an unresponsive peer is forgotten (then can be found afresh). 7500. */
    unresponsive?: number
    /** ms after which a banned peer is forgotten. Default Infinity (never). */
    banned?: number
  }
  /** One connection per `host:port` for all topics instead of one per topic. Default false. */
  multiplex?: boolean
  /** Most peers tracked at once (queued, waiting, connected or banned). Default 4096. */
  maxSize?: number
}

export const PEER_QUEUE_DEFAULTS = {
  requeue: [1000, 5000, 15000],
  forgetUnresponsive: 7500,
  forgetBanned: Number.POSITIVE_INFINITY,
  multiplex: false,
  maxSize: 4096,
} as const

/** Priority levels 0..5 (see PeerInfo.priority). */
const PRIORITIES = 6

export class PeerQueue extends EventEmitter implements PeerInfoOwner {
  destroyed = false
  readonly multiplex: boolean
  readonly maxSize: number

  private readonly infos = new Map<string, PeerInfo>()
  private readonly queue = new ShuffledQueue<PeerInfo>(PRIORITIES)
  private readonly retryTimers: BulkTimer<PeerInfo>[]
  private readonly forgetUnresponsive: BulkTimer<PeerInfo> | null
  private readonly forgetBanned: BulkTimer<PeerInfo> | null
  private readonly dedup: Deduplicator<PeerInfo>

  constructor(opts: PeerQueueOptions = {}) {
    super()
    const requeue = opts.requeue ?? PEER_QUEUE_DEFAULTS.requeue
    const delays = [0, 1, 2].map((i) => requeue[i] ?? PEER_QUEUE_DEFAULTS.requeue[i])
    this.multiplex = opts.multiplex ?? PEER_QUEUE_DEFAULTS.multiplex
    this.maxSize = opts.maxSize ?? PEER_QUEUE_DEFAULTS.maxSize
    const unresponsive = opts.forget?.unresponsive ?? PEER_QUEUE_DEFAULTS.forgetUnresponsive
    const banned = opts.forget?.banned ?? PEER_QUEUE_DEFAULTS.forgetBanned

    const release = (batch: PeerInfo[]) => this.release(batch)
    this.retryTimers = delays.map((ms) => new BulkTimer(ms, (batch) => this.retry(batch)))
    this.forgetUnresponsive = Number.isFinite(unresponsive)
      ? new BulkTimer(unresponsive, release)
      : null
    this.forgetBanned = Number.isFinite(banned) ? new BulkTimer(banned, release) : null
    this.dedup = new Deduplicator<PeerInfo>({
      onReleaseDuplicate: (dropped) => this.releaseDuplicate(dropped),
      selfError: () => new ConnectedToSelfError(),
    })
  }

  /** Peers queued at priority 2 or more: the ones flush() waits for. */
  get prioritised(): number {
    return this.queue.countFrom(2)
  }

  /** Peers waiting in the queue now (not counting those in backoff). */
  get length(): number {
    return this.queue.length
  }

  /** Peers tracked (queued, backing off, connected, banned). */
  get size(): number {
    return this.infos.size
  }

  get(peer: SwarmPeer): PeerInfo | null {
    return this.infos.get(peerKey(peer, this.multiplex)) ?? null
  }

  /** Adds a discovered peer; it keeps the first peer object seen for its key (as the original). */
  add(peer: SwarmPeer): PeerInfo | null {
    if (this.destroyed) return null
    const key = peerKey(peer, this.multiplex)
    let info = this.infos.get(key)
    const existing = info !== undefined
    if (info === undefined) {
      if (this.infos.size >= this.maxSize) return null
      info = new PeerInfo(peer, this)
      this.infos.set(key, info)
    }
    if (peer.topic) info.topic(peer.topic)
    if (this.multiplex && existing) return info
    if (this.queue.has(info) || !info.update()) return info
    this.enqueue(info)
    return info
  }

  /** Forgets a peer: destroys its connection (if any) and drops it from the queue. */
  remove(peer: SwarmPeer): void {
    if (this.destroyed) return
    const key = peerKey(peer, this.multiplex)
    const info = this.infos.get(key)
    if (info === undefined) return
    info.destroy(new PeerRemovedError())
    this.queue.remove(info)
    this.infos.delete(key)
  }

  /** Next peer to dial, highest priority first (random within a priority), or null. */
  shift(): PeerInfo | null {
    if (this.destroyed) return null
    const info = this.queue.shift()
    if (info !== null) info.setActive(true)
    return info
  }

  /**
   * A dial failed or a connection closed: waits the backoff for its retry count and queues the
   * peer again, or schedules it to be forgotten. Returns true when a retry is scheduled.
   */
  requeue(info: PeerInfo): boolean {
    if (this.destroyed) return false
    const step = info.requeue()
    if (step === -1) {
      this.scheduleForget(info)
      return false
    }
    this.retryTimers[step].push(info)
    return true
  }

  deduplicate(localId: Uint8Array, remoteId: Uint8Array, info: PeerInfo): boolean {
    if (this.destroyed) return false
    return this.dedup.deduplicate(localId, remoteId, info)
  }

  disconnected(info: PeerInfo): void {
    this.dedup.disconnected(info)
  }

  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    for (const timer of this.retryTimers) timer.destroy()
    this.forgetUnresponsive?.destroy()
    this.forgetBanned?.destroy()
    this.queue.clear()
    this.infos.clear()
    this.dedup.clear()
  }

  private enqueue(info: PeerInfo): void {
    const wasEmpty = this.queue.length === 0
    this.queue.add(info, info.priority)
    if (wasEmpty) this.emit('readable')
  }

  private retry(batch: PeerInfo[]): void {
    if (this.destroyed) return
    const wasEmpty = this.queue.length === 0
    let added = false
    for (const info of batch) {
      info.setActive(false)
      if (!info.update()) {
        this.scheduleForget(info)
        continue
      }
      this.queue.add(info, info.priority)
      added = true
    }
    if (wasEmpty && added) this.emit('readable')
  }

  private scheduleForget(info: PeerInfo): void {
    const timer = info.banned ? this.forgetBanned : this.forgetUnresponsive
    timer?.push(info)
  }

  private release(batch: PeerInfo[]): void {
    for (const info of batch) if (info.peer !== null) this.removeIfSame(info.peer, info)
  }

  private removeIfSame(peer: SwarmPeer, info: PeerInfo): void {
    if (this.infos.get(peerKey(peer, this.multiplex)) === info) this.remove(peer)
  }

  // The survivor of a deduplicated pair closed: dial the dropped peer afresh, last in line.
  private releaseDuplicate(dropped: PeerInfo): void {
    if (this.destroyed || dropped.peer === null) return
    if (this.infos.get(peerKey(dropped.peer, this.multiplex)) !== dropped) return
    this.remove(dropped.peer)
    this.add(dropped.peer)
  }
}
