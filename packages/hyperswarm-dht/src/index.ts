// Public API of @hyperstack/hyperswarm-dht: re-exports only.
export { DHT, DHT_DEFAULTS } from './dht.js'
export { createBootstrapNode } from './bootstrap-node.js'
export type { BootstrapNodeOptions } from './bootstrap-node.js'
export type { AnnounceOptions, BootstrapEntry, DHTOptions, HolepunchPeer } from './dht.js'
export type { PeerAddress, NodeAddress } from './addr.js'
export type { PeersReply } from './peers.js'
export type { QueryResult } from './query.js'
export { QueryStream } from './query-stream.js'
export type { DHTStats } from './stats.js'
export { ImmutableStore } from './immutable.js'
export type { ImmutableGetResult } from './immutable.js'
export { MutableStore } from './mutable.js'
export type {
  MutableGetOptions,
  MutableGetResult,
  MutablePutOptions,
  MutablePutResult,
} from './mutable.js'
export { VALUE_MAX_SIZE, SALT_MAX_SIZE, keyPair, salt, sign, signable, verify } from './signing.js'
export type { KeyPair, SignableOptions } from './signing.js'
export {
  CancelledError,
  DHTError,
  DecodeError,
  DestroyedError,
  InvalidArgumentError,
  InvalidSeqError,
  NoCloseNodesError,
  NoNodesRespondedError,
  QueueFullError,
  RemoteError,
  SeqMustExceedCurrentError,
  TimeoutError,
} from './errors.js'
export { decodeMessage, encodeMessage } from './messages/message.js'
export type { Message, MessageInput } from './messages/message.js'
