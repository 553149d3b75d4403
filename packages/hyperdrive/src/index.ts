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
