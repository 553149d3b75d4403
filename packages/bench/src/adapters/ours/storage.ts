// Storage for our packages in the bench: in memory the same random-access-memory@3 the
// originals get (so neither side has a faster RAM backend), on disk our own default files.
import { createRequire } from 'node:module'
import type { RandomAccessStorage, StorageOption } from '@hyperstack/hypercore'

const require = createRequire(import.meta.url)
const ram = require('random-access-memory-v3') as () => RandomAccessStorage

export type StorageKind = 'ram' | 'file'

/** A storage option in memory, or the folder `dir` (our random-access-file@4 files). */
export function oursStorage(kind: StorageKind, dir: string): StorageOption {
  return kind === 'ram' ? () => ram() : dir
}
