// Public API of @hyperstack/hypercore: re-exports only.
export { Hypercore, Download, HYPERCORE_DEFAULTS, MAX_BLOCK_SIZE } from './hypercore.js'
export type {
  HypercoreOptions,
  GetOptions,
  UpdateOptions,
  AppendOptions,
  DownloadRange,
  DownloadHandle,
  CoreReplicator,
} from './hypercore.js'
export * from './errors.js'
export {
  leafHash,
  parentHash,
  treeHash,
  signable,
  keyPair,
  sign,
  verify,
  verifySignable,
  discoveryKey,
} from './crypto.js'
export type { TreeNode, KeyPair } from './crypto.js'
export { MerkleTree } from './merkle-tree.js'
export { Bitfield } from './bitfield.js'
export { CoreStorage, fileHeader } from './storage.js'
export type { StorageOption, RandomAccessStorage } from './storage.js'
export type { Proof, VerifiedPut } from './put.js'
export type { ValueEncoding, Codec } from './codecs.js'
export { READ_STREAM_DEFAULTS } from './streams.js'
export type { ReadStreamOptions } from './streams.js'
export * from './corestore.js'
export { Peer } from './peer.js'
export type { PeerOptions } from './peer.js'
export { Replicator } from './replicator.js'
export type { ReplicateOptions } from './replicator.js'
export { FeedExtension } from './feed-extensions.js'
export type { FeedExtensionHandlers, ExtensionPeer } from './feed-extensions.js'
export type { CoreStats, TransferStats } from './transfer-stats.js'
export { encodeRle, decodeRle } from './bitfield-rle.js'
