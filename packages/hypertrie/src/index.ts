// Public API of @hyperstack/hypertrie: re-exports only.
export {
  Hypertrie,
  TrieIterator,
  TrieHistory,
  TrieDiff,
  type HypertrieNode,
  type StoredNodeView,
  type HypertrieDiffEntry,
  type HypertrieOptions,
  type PutOptions,
  type PutCondition,
  type GetOptions,
  type DelOptions,
  type BatchOp,
} from './hypertrie.js'
export type { IteratorOptions } from './iterator.js'
export type { DiffOptions } from './diff.js'
export type { HistoryOptions } from './history.js'
export { TrieWatcher } from './watch.js'
export type {
  BlockSpan,
  ReplicationStream,
  TrieFeed,
  TrieFeedGetOptions,
  TrieFeedUpdateOptions,
  TrieExtensionChannel,
  TrieExtensionHandlers,
} from './feed.js'
export type { ValueCodec, ValueEncodingOption } from './value-encoding.js'
export {
  HypertrieError,
  DecodeError,
  CorruptNodeError,
  NotWritableError,
  MetadataError,
  InvalidArgumentError,
  ClosedError,
  TriePathError,
} from './errors.js'
export { EXTENSION_NAME, type LookupExtensionStats } from './lookup-extension.js'
export {
  MountableTrie,
  MountWatcher,
  type MountableTrieOptions,
  type MountedNode,
  type MountGetOptions,
  type MountIteratorOptions,
  type MountOptions,
  type MountDiffEntry,
  type MountHistoryEntry,
  type TrieProvider,
  type CorestoreLike,
} from './mounts.js'
export { type MountInfo, MOUNT_FLAG, MOUNT_PREFIX, normalizePath } from './mount-paths.js'
export { DEFAULT_MAX_SYMLINK_DEPTH } from './symlinks.js'
