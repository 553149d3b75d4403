// What the drive workloads share: the adapter interface over a hyperdrive, and helpers to
// build the file trees they measure.
import type { ReplicationStream } from '../link.js'

export type DriveStorage = 'ram' | 'file'

export interface DriveFile {
  path: string
  data: Buffer
}

/** A hyperdrive as the drive workloads need it. */
export interface BenchDrive {
  key: Buffer
  writeFile(path: string, data: Buffer): Promise<void>
  /**
   * Writes many files. An implementation with a batch API uses it; otherwise the adapter
   * issues the writes concurrently (as a user of the original would to go fast).
   */
  writeFiles(files: DriveFile[]): Promise<void>
  readFile(path: string): Promise<Buffer>
  /** The file's size in bytes. */
  stat(path: string): Promise<number>
  readdir(path: string): Promise<string[]>
  /** Streams the chunks into a new file. */
  writeStream(path: string, chunks: Iterable<Buffer>): Promise<void>
  /** Streams a file, or `length` bytes of it from `start`. */
  readStream(path: string, range?: { start: number; length: number }): AsyncIterable<Buffer>
  /** Waits until a replica has learned the writer's latest version (after connecting). */
  update(): Promise<void>
  /** A live replication stream. */
  replicate(isInitiator: boolean): ReplicationStream
  close(): Promise<void>
}

export interface DriveAdapter {
  /** A new writable drive in memory, or on disk under `dir` (reopened if `dir` holds one). */
  open(storage: DriveStorage, dir: string): Promise<BenchDrive>
  /** A sparse replica of `key` in memory. */
  clone(key: Buffer): Promise<BenchDrive>
}

export const loadOriginalDrive = async (): Promise<DriveAdapter> =>
  (await import('../adapters/originals/hyperdrive.js')).driveAdapter

export const loadOurDrive = async (): Promise<DriveAdapter> =>
  (await import('../adapters/ours/hyperdrive.js')).driveAdapter

/** `count` files of `size` bytes spread over `dirs` directories: `/d{i%dirs}/f{i}`. */
export function* treeFiles(count: number, dirs: number, data: Buffer): Generator<DriveFile> {
  for (let i = 0; i < count; i++) yield { path: `/d${i % dirs}/f${i}`, data }
}

/** Writes files through `writeFiles` in groups of `group` (setup or a measured build). */
export async function writeInGroups(
  drive: BenchDrive,
  files: Iterable<DriveFile>,
  group = 1000,
): Promise<number> {
  let pending: DriveFile[] = []
  let written = 0
  for (const file of files) {
    pending.push(file)
    if (pending.length === group) {
      await drive.writeFiles(pending)
      written += pending.length
      pending = []
    }
  }
  if (pending.length > 0) await drive.writeFiles(pending)
  return written + pending.length
}
