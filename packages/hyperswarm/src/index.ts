// Public API of @hyperstack/hyperswarm.
export { connect, CONNECT_DEFAULTS } from './connector.js'
export type { ConnectOptions, Connected, DialTarget } from './connector.js'
export { Deduplicator } from './dedup.js'
export type { DedupConnection, DeduplicatorOptions } from './dedup.js'
export {
  ConnectFailedError,
  ConnectTimeoutError,
  ConnectedToSelfError,
  InvalidJoinOptionsError,
  InvalidTopicError,
  PeerBannedError,
  PeerRemovedError,
  SwarmDestroyedError,
  SwarmError,
  UdpStreamError,
} from './errors.js'
export type { PeerAddress, PeerReferrer, SwarmPeer, SwarmSocket, TransportType } from './peer.js'
export { PeerInfo } from './peer-info.js'
export type { PeerInfoOwner } from './peer-info.js'
export { PeerQueue, PEER_QUEUE_DEFAULTS } from './peer-queue.js'
export type { PeerQueueOptions } from './peer-queue.js'
export { Hyperswarm, HYPERSWARM_DEFAULTS } from './swarm.js'
export type {
  BootstrapEntry,
  Connectivity,
  DHTFactory,
  HyperswarmEvents,
  HyperswarmOptions,
  JoinOptions,
  TopicStatus,
  UdpTransport,
} from './swarm.js'
export type {
  DiscoveryAnnounceOptions,
  DiscoveryDHT,
  DiscoveryLookupOptions,
  DiscoveryReply,
  DiscoveryReplyNode,
  HolepunchTarget,
} from './discovery-dht.js'
export { UdpStream, UDP_STREAM_DEFAULTS } from './udp-stream.js'
export type { UdpStreamOptions } from './udp-stream.js'
export { UdpStreamTransport, UDP_TRANSPORT_DEFAULTS } from './udp-transport.js'
export type { UdpTransportOptions } from './udp-transport.js'
export { MdnsDiscovery, MDNS_DEFAULTS } from './mdns.js'
export type { MdnsEvents, MdnsOptions } from './mdns.js'
