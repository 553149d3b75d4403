// The slice of a DHT the swarm uses. @hyperstack/hyperswarm-dht's DHT provides it; tests and
// embedders may pass anything shaped like it (a shared DHT, an in-memory fake).
import type { PeerAddress } from './peer.js'

export interface DiscoveryReplyNode extends PeerAddress {
  id?: Buffer | null
}

/** One reply of an announce or lookup walk, as @hyperswarm/dht@4's `data` items. */
export interface DiscoveryReply {
  node: DiscoveryReplyNode
  /** Our address as that node saw us. */
  to?: PeerAddress | null
  peers?: PeerAddress[] | null
  localPeers?: PeerAddress[] | null
}

export interface DiscoveryAnnounceOptions {
  /** 0 or absent: the DHT records the UDP source port of our DHT socket. */
  port?: number
  localAddress?: PeerAddress
}

export interface DiscoveryLookupOptions {
  localAddress?: PeerAddress
}

/** A peer to holepunch to: its address and the DHT node that told us about it. */
export interface HolepunchTarget extends PeerAddress {
  referrer: DiscoveryReplyNode
}

export interface DiscoveryDHT {
  ready(): Promise<unknown>
  /** Resolves when the walk is done; may instead be an iterable of replies like lookup(). */
  announce(
    topic: Buffer,
    opts?: DiscoveryAnnounceOptions,
  ): AsyncIterable<DiscoveryReply> | PromiseLike<unknown>
  unannounce(topic: Buffer, opts?: DiscoveryAnnounceOptions): PromiseLike<unknown>
  lookup(topic: Buffer, opts?: DiscoveryLookupOptions): AsyncIterable<DiscoveryReply>
  holepunch(peer: HolepunchTarget): PromiseLike<unknown>
  destroy(): PromiseLike<unknown> | undefined
  /** Our public address as DHT nodes report it, when they agree. */
  remoteAddress?(): PeerAddress | null
  /** True when DHT nodes agree on our exact public address and port. */
  holepunchable?(): boolean
  /** The nodes in its routing table (none: it reached no bootstrap node). */
  getNodes?(): readonly unknown[]
}

export function isAsyncIterable<T>(value: unknown): value is AsyncIterable<T> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  )
}
