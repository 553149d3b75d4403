// Folder -> drive: writes the files that are new or changed (by size and mtime) and removes the
// drive's files that the folder no longer has. Re-running on an unchanged folder writes nothing.
import { createReadStream } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { Hyperdrive } from '@hyperstack/hyperdrive'
import { sameMillisecond } from './folder-export.js'

export interface ImportResult {
  added: string[]
  changed: string[]
  removed: string[]
  unchanged: number
  bytes: number
}

export async function importFolder(
  drive: Hyperdrive,
  folder: string,
  onfile?: (path: string, bytes: number) => void,
): Promise<ImportResult> {
  const result: ImportResult = { added: [], changed: [], removed: [], unchanged: 0, bytes: 0 }
  const seen = new Set<string>()
  for await (const file of walkFiles(folder)) {
    const drivePath = `/${relative(folder, file).split(sep).join('/')}`
    seen.add(drivePath)
    const local = await stat(file)
    const existing = await drive.stat(drivePath).catch(() => null)
    if (
      existing?.isFile() &&
      existing.size === local.size &&
      sameMillisecond(existing.mtime.getTime(), local.mtimeMs)
    ) {
      result.unchanged++
      continue
    }
    await pipeline(
      createReadStream(file),
      drive.createWriteStream(drivePath, { mtime: local.mtime, mode: local.mode }),
    )
    ;(existing ? result.changed : result.added).push(drivePath)
    result.bytes += local.size
    onfile?.(drivePath, local.size)
  }
  const listed = await drive.readdir('/', { recursive: true, includeStats: true, noMounts: true })
  for (const entry of listed) {
    if (entry.stat.isFile() && !seen.has(entry.path)) {
      await drive.unlink(entry.path)
      result.removed.push(entry.path)
    }
  }
  return result
}

export async function* walkFiles(dir: string): AsyncGenerator<string> {
  const entries = await readdir(dir, { withFileTypes: true })
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const entry of entries) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* walkFiles(path)
    else if (entry.isFile()) yield path
  }
}
