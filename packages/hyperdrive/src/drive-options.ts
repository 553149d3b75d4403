// Option and result types of the Hyperdrive methods (defaults are written once, where used).
import type { ReadRangeOptions } from './content-range.js'
import type { DriveCore, TrieFactory } from './drive-backend.js'
import type { StatMetadata } from './messages/stat-codec.js'

export interface HyperdriveOptions {
  /** Fetch content blocks only when read (default true). */
  sparse?: boolean
  /** Fetch metadata blocks only when needed (default true). */
  sparseMetadata?: boolean
  /** Key pair of the metadata core (instead of the corestore's default name). */
  keyPair?: { publicKey: Buffer; secretKey: Buffer } | null
  /** Use `corestore.namespace(namespace)`, so the metadata core is derived from that name. */
  namespace?: string | null
  /** Register the trie's lookup extension (default true). */
  extension?: boolean
  /** Header subtype (default "hyperdrive"). */
  subtype?: string
  /** Builds the mount-aware trie (default: @hyperstack/hypertrie's). */
  createTrie?: TrieFactory | null
}

export interface WriteFileOptions {
  encoding?: BufferEncoding
  mode?: number
  uid?: number
  gid?: number
  mtime?: number | Date
  ctime?: number | Date
  metadata?: StatMetadata
}

export interface ReadFileOptions extends ReadRangeOptions {
  encoding?: BufferEncoding | 'binary'
}

export interface MkdirOptions {
  mode?: number
  uid?: number
  gid?: number
}

export interface MountOptions {
  version?: number
  hash?: Uint8Array
  hypercore?: boolean
  uid?: number
  gid?: number
  remotePath?: string
}

export interface FileStats {
  blocks: number
  size: number
  downloadedBlocks: number
}

export interface MountEntry {
  metadata: DriveCore
  content: DriveCore | null
}
