// The random-access storages the originals expect: random-access-memory@3, random-access-file@2.
import { createRequire } from 'node:module'
import { join } from 'node:path'

const require = createRequire(import.meta.url)

/** An opaque random-access-storage instance as the originals consume it. */
export interface OriginalStorageInstance {
  close(cb: (err: Error | null) => void): void
}
export type OriginalStorage = (name: string) => OriginalStorageInstance

const ram = require('random-access-memory-v3') as (() => OriginalStorageInstance) & OriginalStorage
const raf = require('random-access-file-v2') as (path: string) => OriginalStorageInstance

export type StorageKind = 'ram' | 'file'

/** A storage function in memory, or in files under `dir`. */
export function originalStorage(kind: StorageKind, dir: string): OriginalStorage {
  return kind === 'ram' ? () => ram() : (name) => raf(join(dir, name))
}
