// What the swarm knows about one peer connection: priority, retries, ban state, transport and
// topics, as hyperswarm@2's PeerInfo (the `info` handed out with every 'connection').
import { EventEmitter } from 'node:events'
import type { DedupConnection } from './dedup.js'
import { PeerBannedError } from './errors.js'
import type { SwarmPeer, SwarmSocket, TransportType } from './peer.js'

const PROVEN = 0b1
const RECONNECT = 0b10
const BANNED = 0b100
const ACTIVE = 0b1000
const TRIED = 0b10000
const FIREWALLED = 0b100000

/** Retries after which a peer is unresponsive: it gets no further attempt. */
export const MAX_RETRIES = 3

/** The queue (or swarm) a PeerInfo reports to. */
export interface PeerInfoOwner {
  deduplicate(localId: Uint8Array, remoteId: Uint8Array, info: PeerInfo): boolean
  disconnected(info: PeerInfo): void
}

const EMPTY_ID = Buffer.alloc(32)

export class PeerInfo extends EventEmitter implements DedupConnection {
  /** Higher is dialled first: 5, 4 (recent failures), 3 (LAN), 2 (fresh), 1 (last try), 0. */
  priority: number
  retries: number
  readonly peer: SwarmPeer | null
  /** True when we dialled this connection. */
  readonly client: boolean
  stream: SwarmSocket | null = null
  /** Set when deduplication dropped this connection. */
  duplicate = false
  /** Topics this connection serves (several when the queue multiplexes). */
  topics: Buffer[] = []
  dedupKey: string | null = null

  private status = RECONNECT | FIREWALLED
  private readonly seenTopics = new Set<string>()
  private readonly owner: PeerInfoOwner | null

  constructor(peer: SwarmPeer | null, owner: PeerInfoOwner | null) {
    super()
    this.peer = peer
    this.client = peer !== null
    this.owner = owner
    // A peer at our own public IP (e.g. everything on one host) gets one low-priority attempt,
    // as hyperswarm@2 does: the LAN or mDNS copy of it is the one expected to work.
    const sameHost = peer !== null && peer.to !== null && peer.to.host === peer.host
    this.priority = peer?.local ? 3 : sameHost ? 1 : 2
    this.retries = this.priority === 1 ? MAX_RETRIES : 0
  }

  /** Dialled first by the queue (priority 2 or more); what flush() waits for. */
  get prioritised(): boolean {
    return this.priority >= 2
  }

  get type(): TransportType {
    return this.status & FIREWALLED ? 'udp' : 'tcp'
  }

  get firewalled(): boolean {
    return (this.status & FIREWALLED) !== 0
  }

  get banned(): boolean {
    return (this.status & BANNED) !== 0
  }

  /** True while a dial of this peer is in flight or connected. */
  get active(): boolean {
    return (this.status & ACTIVE) !== 0
  }

  /**
   * Drops this connection if another between the same two ids exists (see dedup.ts).
   * Returns true when THIS connection was dropped. Call once per connection.
   */
  deduplicate(localId: Uint8Array, remoteId: Uint8Array = EMPTY_ID): boolean {
    if (this.owner === null) return false
    return this.owner.deduplicate(localId, remoteId, this)
  }

  /** Counts as a failure: the peer is retried later with a longer delay. False if no retry. */
  backoff(): boolean {
    if (!this.client) return false
    this.requeue()
    if (this.status & BANNED) return false
    if (this.retries > MAX_RETRIES) return false
    this.priority = this.computePriority()
    return true
  }

  /** Whether the queue re-dials this peer after it disconnects. */
  reconnect(enabled: boolean): void {
    if (enabled) this.status |= RECONNECT
    else this.status &= ~RECONNECT
  }

  setActive(active: boolean): void {
    if (active) this.status |= ACTIVE | TRIED
    else this.status &= ~ACTIVE
  }

  connected(stream: SwarmSocket, isTCP: boolean): void {
    if (isTCP) this.status &= ~FIREWALLED
    this.status |= PROVEN
    this.stream = stream
    this.retries = 0
    if (this.status & BANNED) this.ban()
  }

  disconnected(): void {
    this.stream = null
    this.topics = []
    this.seenTopics.clear()
    this.removeAllListeners('topic')
    this.owner?.disconnected(this)
  }

  /** Records a topic this peer serves; emits 'topic' the first time. */
  topic(topic: Buffer): void {
    const hex = topic.toString('hex')
    if (this.seenTopics.has(hex)) return
    this.seenTopics.add(hex)
    this.topics.push(topic)
    this.emit('topic', topic)
  }

  /** Refreshes the priority before (re)queueing; false when the peer must not be queued. */
  update(): boolean {
    if (this.status & (BANNED | ACTIVE)) return false
    if (this.retries > MAX_RETRIES) return false
    this.priority = this.computePriority()
    return true
  }

  /** Hard ban destroys the stream ("Peer was banned"); soft ban ends it. Never retried. */
  ban(soft = false): void {
    if (soft) {
      this.status |= BANNED
      if (this.stream !== null && !this.stream.destroyed) this.stream.end()
      this.disconnected()
    } else {
      this.destroy(new PeerBannedError())
    }
  }

  destroy(err: Error): void {
    this.status |= BANNED
    if (this.stream !== null && !this.stream.destroyed) this.stream.destroy(err)
    this.disconnected()
  }

  markDuplicate(): void {
    this.duplicate = true
    this.emit('duplicate')
  }

  /**
   * Counts one more retry. Returns the backoff step (0, 1, 2) to wait before the next dial, or
   * -1 when the peer gets no more dials (banned, reconnect off, or retries exhausted).
   */
  requeue(): number {
    if (this.status & BANNED) return -1
    if (!(this.status & RECONNECT)) return -1
    if (this.retries >= MAX_RETRIES) {
      // Counting past the limit makes update() refuse the peer from now on.
      this.retries++
      return -1
    }
    return this.retries++
  }

  // Tried but never connected sinks to the bottom; recent failures are retried first (5, 4) so a
  // flaky peer is not starved; the last retry (1) comes after every fresh peer.
  private computePriority(): number {
    if (this.status & TRIED && !(this.status & PROVEN)) return 0
    if (this.retries === 3) return 1
    if (this.retries === 2) return 4
    if (this.retries === 1) return 5
    return this.peer?.local ? 3 : 2
  }
}
