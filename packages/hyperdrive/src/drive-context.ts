// What the per-concept drive modules (files, directories, links, mounts, versions, network)
// need from the Hyperdrive object. Hyperdrive implements it; it is not part of the public API.
import type { ContentCores } from './content-cores.js'
import type {
  DriveCore,
  DriveCorestore,
  DriveTrie,
  TrieMountInfo,
  TrieWatcher,
} from './drive-backend.js'
import { InvalidPermissionError } from './errors.js'
import type { StatCache } from './stat-cache.js'
import type { Stat } from './stat.js'

export interface DriveContext {
  readonly corestore: DriveCorestore
  readonly contentCores: ContentCores
  readonly sparse: boolean
  readonly isCheckout: boolean
  readonly writable: boolean
  readonly version: number
  readonly metadata: DriveCore | null
  /** The metadata trie; throws before ready(). */
  readonly trie: DriveTrie
  /** The trie when open, else null (lets hot paths skip awaiting ready()). */
  readonly openTrie: DriveTrie | null
  readonly watchers: Set<TrieWatcher>
  /** Stat bytes of recent lookups and writes (a writer or a checkout), else null. */
  readonly statCache: StatCache | null
  ready(): Promise<void>
  emit(event: string | symbol, ...args: unknown[]): boolean
  /** Whether the drive has mounts (cached; a mount() by this writer sets it). */
  hasMounts(): Promise<boolean>
  markMounted(): void
}

/** A Stat plus where it came from. */
export interface Located {
  stat: Stat
  trie: DriveTrie
  mount: TrieMountInfo
  innerPath: string
  path: string
}

export function checkWritable(drive: DriveContext, name: string): void {
  if (drive.isCheckout) throw new InvalidPermissionError('A checkout is read-only', name)
  if (!drive.writable) throw new InvalidPermissionError('The drive is not writable', name)
}

/** The open trie, waiting for ready() only when the drive is not open yet. */
export function openedTrie(drive: DriveContext): DriveTrie | Promise<DriveTrie> {
  return drive.openTrie ?? drive.ready().then(() => drive.trie)
}
