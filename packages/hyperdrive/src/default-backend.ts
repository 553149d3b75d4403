// The production backend: Corestore from @hyperstack/hypercore and the mount-aware trie from
// @hyperstack/hypertrie. Until those packages export them, opening a drive without an explicit
// backend fails with a typed error instead of a crash.
import type { DriveCorestore, TrieFactory } from './drive-backend.js'

export class BackendUnavailableError extends Error {
  readonly code = 'ERR_BACKEND_UNAVAILABLE'
  constructor(what: string) {
    super(
      `${what} is not available yet; pass opts.corestore-compatible storage and opts.createTrie`,
    )
    this.name = 'BackendUnavailableError'
  }
}

/** A storage function as random-access-* modules provide (name -> storage object). */
export type StorageFunction = (name: string) => unknown

export function defaultCorestore(_storage: string | StorageFunction): DriveCorestore {
  throw new BackendUnavailableError('Corestore from @hyperstack/hypercore')
}

export const defaultTrieFactory: TrieFactory = () => {
  throw new BackendUnavailableError('The mount-aware trie from @hyperstack/hypertrie')
}
