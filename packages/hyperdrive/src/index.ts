// Public API of @hyperstack/hyperdrive: re-exports only.
export { Stat } from './stat.js'
export type { StatInit } from './stat.js'
export {
  decodeMount,
  decodeStat,
  encodeMount,
  encodeStat,
} from './messages/stat-codec.js'
export type {
  DecodedMount,
  DecodedStat,
  StatFields,
  StatMetadata,
  StatMountFields,
} from './messages/stat-codec.js'
export { decodeIndex, encodeIndex } from './messages/index-codec.js'
export type { IndexMessage } from './messages/index-codec.js'
export {
  checkPath,
  fixName,
  fromTrieKey,
  resolveLinkTarget,
  toTrieKey,
  unixify,
} from './paths.js'
export {
  MAX_BLOCK_SIZE,
  cutIntoBlocks,
  fileByteRange,
  locateByte,
} from './content-range.js'
export type { BlockPosition, FileByteRange, ReadRangeOptions } from './content-range.js'
export {
  TAGS_PREFIX,
  decodeTagVersion,
  encodeTagVersion,
  tagKey,
  tagName,
} from './tags.js'
export {
  BadFileDescriptorError,
  ContentMismatchError,
  DirectoryNotEmptyError,
  DriveClosedError,
  FileNotFoundError,
  HyperdriveFsError,
  InvalidArgumentError,
  InvalidEncodingError,
  InvalidPermissionError,
  IsDirectoryError,
  NotDirectoryError,
  PathAlreadyExistsError,
  TooManySymlinksError,
} from './errors.js'
export { Hyperdrive } from './hyperdrive.js'
export type {
  FileStats,
  HyperdriveOptions,
  MkdirOptions,
  MountEntry,
  MountOptions,
  ReadFileOptions,
  WriteFileOptions,
} from './drive-options.js'
export type {
  CoreExtensionChannel,
  CoreExtensionHandlers,
  CoreGetOptions,
  CoreSeekOptions,
  CoreSeekResult,
  CorestoreGetOptions,
  DriveCore,
  DriveCorestore,
  DriveTrie,
  ReplicationStream,
  TrieDiffEntry,
  TrieEntry,
  TrieFactory,
  TrieFactoryOptions,
  TrieGetResult,
  TrieIteratorOptions,
  TrieMountInfo,
  TrieMountOptions,
  TriePutCondition,
  TriePutOptions,
  TriePutResult,
  TrieWatcher,
} from './drive-backend.js'
export type { StorageFunction } from './default-backend.js'
export { FileReadStream } from './read-stream.js'
export type { FileLocation, FileReadStreamOptions } from './read-stream.js'
export { FileWriteStream } from './write-stream.js'
export { DiffStream } from './diff-stream.js'
export { StatsWatcher } from './stats-watch.js'
export type { PathStats, WatchStatsOptions } from './stats-watch.js'
export type { TimeLike } from './drive-attributes.js'
export type { DiffEntry } from './diff-stream.js'
export type { ReaddirEntry, ReaddirOptions } from './readdir.js'
export { DownloadCancelledError } from './download.js'
export type { DownloadOptions, DownloadProgress } from './download.js'
export { HypertrieDriveTrie, hypertrieFactory } from './hypertrie-backend.js'
export { CoreTrieFeed } from './trie-feed.js'
