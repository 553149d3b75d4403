// The feed a Hypertrie opens from storage: an @hyperstack/hypercore Hypercore of binary blocks.
import { Hypercore, type HypercoreOptions, type StorageOption } from '@hyperstack/hypercore'
import type { TrieFeed } from './feed.js'

export interface CreateFeedOptions {
  secretKey?: Uint8Array
  sparse?: boolean
  keyPair?: { publicKey: Uint8Array; secretKey: Uint8Array } | null
  createIfMissing?: boolean
  overwrite?: boolean
  storeSecretKey?: boolean
  maxRequests?: number
  /** Store blocks peers push with their lookup answers (default true; see lookup-extension.ts). */
  allowPush?: boolean
}

/** `storage` is a folder path or a `name => RandomAccessStorage` function, as Hypercore takes. */
export function createFeed(
  storage: StorageOption,
  key: Buffer | null,
  o: CreateFeedOptions,
): TrieFeed {
  const opts: HypercoreOptions = {
    valueEncoding: 'binary',
    maxRequests: o.maxRequests ?? 256,
    allowPush: o.allowPush ?? true,
  }
  if (o.secretKey) opts.secretKey = o.secretKey
  if (o.sparse !== undefined) opts.sparse = o.sparse
  if (o.keyPair) opts.keyPair = o.keyPair
  if (o.createIfMissing !== undefined) opts.createIfMissing = o.createIfMissing
  if (o.overwrite !== undefined) opts.overwrite = o.overwrite
  if (o.storeSecretKey !== undefined) opts.storeSecretKey = o.storeSecretKey
  return new Hypercore(storage, key, opts)
}
