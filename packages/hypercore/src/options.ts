// Options of a core and of its operations, with their defaults written once.
import type { ValueEncoding } from './codecs.js'

export interface HypercoreOptions {
  /** Secret key (64 bytes) making the core writable. */
  secretKey?: Uint8Array | string | null
  /** Alternative to `key` + `secretKey`. */
  keyPair?: { publicKey: Uint8Array; secretKey: Uint8Array } | null
  /** Download only what `get`/`download` asks for (default false: download everything). */
  sparse?: boolean
  valueEncoding?: ValueEncoding
  /** Fail with ERR_NO_CORE when storage holds no core and no key was given (default true). */
  createIfMissing?: boolean
  /** Ignore what is stored and start a new core (default false). */
  overwrite?: boolean
  /** Write `secret_key` (default true). */
  storeSecretKey?: boolean
  /** Signed (live) core; false makes a static core (default true). */
  live?: boolean
  /** fsync after every append (default false; `flush()` syncs on demand). */
  durable?: boolean
  /** Replication toggles (default true; `downloading` defaults to !writable as the original). */
  downloading?: boolean
  uploading?: boolean
  /** Maximum outstanding requests per peer (default 16). */
  maxRequests?: number
  /** Count blocks and bytes moved to and from peers (`core.stats`; default true). */
  stats?: boolean
  /** Default for update/get `ifAvailable`. */
  ifAvailable?: boolean
  /** With `sparse`, keep asking peers for new lengths. */
  eagerUpdate?: boolean
  /**
   * Store verified blocks a peer sends without being asked (hypercore@9's option; default false).
   * Announced to peers as the `hyperstack/push` extension, so only they push (see `push`).
   */
  allowPush?: boolean
  /**
   * Sign on the process's signing thread once appends come in bursts (default true): a tight
   * loop of single appends then signs on a second core (~1.6-1.8x the appends/s of signing
   * inline) for ~7-10 MiB more RSS, the thread's. Occasional appends and batches sign inline.
   */
  signInWorker?: boolean
  /**
   * Hash the leaves of big appends (256 KiB or more, in blocks of 4 KiB or more) on a second core
   * while their data is written (default true): a drive's file import then spends its main
   * thread on storage, not on BLAKE2b. The tree and every byte stored are the same.
   */
  hashInWorker?: boolean
}

export const HYPERCORE_DEFAULTS = {
  sparse: false,
  createIfMissing: true,
  overwrite: false,
  storeSecretKey: true,
  live: true,
  durable: false,
  uploading: true,
  maxRequests: 16,
  ifAvailable: false,
  allowPush: false,
  signInWorker: true,
  hashInWorker: true,
} as const

export interface GetOptions {
  /** Wait for the block from peers when missing (default true). */
  wait?: boolean
  /** Milliseconds to wait (0 = forever). */
  timeout?: number
  valueEncoding?: ValueEncoding
  /** Fail when no connected peer has it (instead of waiting for one). */
  ifAvailable?: boolean
}

export interface UpdateOptions {
  ifAvailable?: boolean
  minLength?: number
  timeout?: number
}

export interface AppendOptions {
  /** fsync before resolving (group commit with other pending appends). */
  durable?: boolean
}

export interface DownloadRange {
  start?: number
  /** Exclusive; -1 or undefined = forever (live). */
  end?: number
  linear?: boolean
  blocks?: number[]
}
