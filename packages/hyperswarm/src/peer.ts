// The peer record the swarm discovers and dials, shaped as hyperswarm@2's `peer` event objects.
import type { Duplex } from 'node:stream'

export interface PeerAddress {
  host: string
  port: number
}

/** The DHT node that told us about a peer; holepunches are relayed through it. */
export interface PeerReferrer extends PeerAddress {
  id: Buffer | null
}

export interface SwarmPeer extends PeerAddress {
  /** Found on the LAN (a DHT `localPeers` entry or mDNS), not on the public DHT. */
  local: boolean
  /** Our own address as the replying DHT node saw us, when it told us. */
  to: PeerAddress | null
  /** The DHT node that reported this peer (null for local peers). */
  referrer: PeerReferrer | null
  /** The topic the peer was found under (null when dialled by hand). */
  topic: Buffer | null
}

/** A connection: a TCP socket or a holepunched UDP stream; both are plain Node duplexes. */
export type SwarmSocket = Duplex

/** Which transport carries a connection. hyperswarm@2 says 'utp' where we say 'udp'. */
export type TransportType = 'tcp' | 'udp'

/** Key of a peer in the queue: `host:port@hex(topic)`, or `host:port` when multiplexing. */
export function peerKey(peer: PeerAddress & { topic?: Buffer | null }, multiplex: boolean): string {
  const base = `${peer.host}:${peer.port}`
  if (multiplex || !peer.topic) return base
  return `${base}@${peer.topic.toString('hex')}`
}
