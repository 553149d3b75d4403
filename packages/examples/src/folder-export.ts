// Drive -> folder: writes every file below a drive path whose local copy differs (size, mtime),
// several at once. Each file is written to `<name>.partial` and renamed when complete.
import { createWriteStream } from 'node:fs'
import { mkdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { Hyperdrive, Stat } from '@hyperstack/hyperdrive'

/** A file whose bytes did not add up to the size its Stat records: never renamed into place. */
export class IncompleteFileError extends Error {
  readonly code = 'ERR_INCOMPLETE_FILE'
  constructor(path: string, expected: number, got: number) {
    super(`${path}: read ${got} bytes where its Stat records ${expected}; not written`)
    this.name = 'IncompleteFileError'
  }
}

export interface ExportCounts {
  files: number
  bytes: number
}

export interface ExportResult extends ExportCounts {
  /** Files written by this call (others were already up to date). */
  written: number
  changedPaths: string[]
}

/** Files fetched and written at once: a replica's reads then share round trips and disk waits. */
export const EXPORT_CONCURRENCY = 16

export async function exportTree(
  drive: Hyperdrive,
  root: string,
  folder: string,
  onprogress?: (done: ExportCounts, total: ExportCounts) => void,
  concurrency = EXPORT_CONCURRENCY,
): Promise<ExportResult> {
  const files = await listFiles(drive, root)
  const total = { files: files.length, bytes: files.reduce((n, f) => n + f.stat.size, 0) }
  const done = { files: 0, bytes: 0 }
  const changed: boolean[] = files.map(() => false)
  const folders = new Map<string, Promise<unknown>>()
  let next = 0
  const failed: { error: unknown }[] = []
  const worker = async (): Promise<void> => {
    // After a failure no new file starts; the ones under way finish (or clean up) first.
    while (next < files.length && failed.length === 0) {
      const i = next++
      const file = files[i]
      try {
        changed[i] = await exportFile(drive, file, join(folder, file.path), folders)
      } catch (error) {
        failed.push({ error })
        return
      }
      done.files++
      done.bytes += file.stat.size
      onprogress?.(done, total)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker))
  if (failed.length > 0) throw failed[0].error
  const changedPaths = files.filter((_, i) => changed[i]).map((f) => f.path)
  return { ...total, written: changedPaths.length, changedPaths }
}

/** Files up to this size are read whole and written with one call (no streams). */
const WHOLE_FILE_BYTES = 1024 * 1024

/** Writes one file unless its local copy matches (size, mtime); true when it wrote. */
async function exportFile(
  drive: Hyperdrive,
  file: { path: string; stat: Stat },
  target: string,
  folders: Map<string, Promise<unknown>>,
): Promise<boolean> {
  const local = await stat(target).catch(() => null)
  if (
    local &&
    local.size === file.stat.size &&
    sameMillisecond(local.mtimeMs, file.stat.mtime.getTime())
  ) {
    return false
  }
  // Each folder is made once per export, not once per file in it.
  const folder = dirname(target)
  let made = folders.get(folder)
  if (made === undefined) {
    made = mkdir(folder, { recursive: true })
    folders.set(folder, made)
  }
  await made
  const partial = `${target}.partial`
  try {
    let written: number
    if (file.stat.size <= WHOLE_FILE_BYTES) {
      const data = await drive.readFile(file.path)
      await writeFile(partial, data)
      written = data.length
    } else {
      await pipeline(drive.createReadStream(file.path), createWriteStream(partial))
      written = (await stat(partial)).size
    }
    if (written !== file.stat.size) {
      throw new IncompleteFileError(file.path, file.stat.size, written)
    }
  } catch (err) {
    await rm(partial, { force: true })
    throw err
  }
  await utimes(partial, file.stat.mtime, file.stat.mtime)
  await rename(partial, target)
  return true
}

async function listFiles(drive: Hyperdrive, root: string): Promise<{ path: string; stat: Stat }[]> {
  const top = await drive.stat(root)
  if (top.isFile()) return [{ path: root, stat: top }]
  const entries = await drive.readdir(root, { recursive: true, includeStats: true })
  return entries
    .filter((entry) => entry.stat.isFile())
    .map((entry) => ({ path: entry.path, stat: entry.stat }))
}

// A drive keeps whole milliseconds while the OS keeps fractions, and utimes() stores seconds as
// a float (123 ms may read back as 122.9999): times less than a millisecond apart are the same.
export function sameMillisecond(a: number, b: number): boolean {
  return Math.abs(a - b) < 1
}
