// The production backend: a Corestore from @hyperstack/hypercore (a folder path or a storage
// function opens one, as hyperdrive@10 does) and the mount-aware trie from @hyperstack/hypertrie.
import { Corestore, type CorestoreStorageFunction } from '@hyperstack/hypercore'
import type { DriveCorestore, TrieFactory } from './drive-backend.js'
import { hypertrieFactory } from './hypertrie-backend.js'

/** A storage function as random-access-* modules provide (file name -> storage object). */
export type StorageFunction = CorestoreStorageFunction

export function defaultCorestore(
  storage: string | StorageFunction,
  sparse: boolean,
): DriveCorestore {
  return new Corestore(storage, { sparse })
}

export const defaultTrieFactory: TrieFactory = hypertrieFactory
