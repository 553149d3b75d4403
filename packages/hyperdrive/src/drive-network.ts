// Local copies of content: per-file block counts (stats), mirror, clear and download.
import { EventEmitter } from 'node:events'
import { type DownloadOptions, type DownloadProgress, downloadFiles } from './download.js'
import type { DriveCore, DriveTrie } from './drive-backend.js'
import type { DriveContext } from './drive-context.js'
import { allMounts } from './drive-mounts.js'
import type { FileStats } from './drive-options.js'
import { listingOf, statLocated } from './drive-stat.js'
import { statEntries } from './readdir.js'
import type { Stat } from './stat.js'

export type DownloadHandle = Promise<DownloadProgress> & {
  on(event: 'progress', fn: (p: DownloadProgress) => void): unknown
  destroy(): void
}

async function countBlocks(drive: DriveContext, st: Stat, trie: DriveTrie): Promise<FileStats> {
  const core = await drive.contentCores.get(trie)
  let downloadedBlocks = 0
  if (core.downloaded) downloadedBlocks = await core.downloaded(st.offset, st.offset + st.blocks)
  else
    for (let i = st.offset; i < st.offset + st.blocks; i++)
      if (await core.has(i)) downloadedBlocks++
  return { blocks: st.blocks, size: st.size, downloadedBlocks }
}

/** Block counts of the file at `path` (normalised), or of every file below a directory. */
export async function fileStats(
  drive: DriveContext,
  path: string,
  opts: { recursive?: boolean },
): Promise<FileStats | Map<string, FileStats>> {
  const located = await statLocated(drive, path, false)
  if (!located.stat.isDirectory()) return countBlocks(drive, located.stat, located.trie)
  const out = new Map<string, FileStats>()
  const recursive = opts.recursive !== false
  for await (const e of statEntries(listingOf(drive), path, {
    recursive,
    noMounts: false,
    gt: false,
  })) {
    if (e.stat.isDirectory() || e.stat.linkname || e.stat.mount) continue
    out.set(e.path, await countBlocks(drive, e.stat, e.trie))
  }
  return out
}

/** Keeps every core of the drive and its mounts fully downloaded; returns the undo function. */
export async function mirrorAll(drive: DriveContext): Promise<() => void> {
  const ranges: [DriveCore, unknown][] = []
  for (const { metadata, content } of (
    await allMounts(drive, { recursive: true, content: true })
  ).values()) {
    for (const core of [metadata, content]) {
      if (core?.download) ranges.push([core, core.download({ start: 0, end: -1 })])
    }
  }
  return () => {
    for (const [core, range] of ranges) core.undownload?.(range as never)
  }
}

/** Drops the local copy of a file's blocks (or of every file below a directory). */
export async function clearFiles(
  drive: DriveContext,
  path: string,
  opts: { recursive?: boolean },
): Promise<void> {
  const stats = await fileStats(drive, path, opts)
  const entries = stats instanceof Map ? [...stats.keys()] : [path]
  for (const p of entries) {
    const located = await statLocated(drive, p, true)
    const core = await drive.contentCores.get(located.trie)
    if (core.clear && located.stat.blocks) {
      await core.clear(located.stat.offset, located.stat.offset + located.stat.blocks)
    }
  }
}

/** Fetches every block of the file at `path` (or, recursively, of every file below it). */
export function downloadPath(
  drive: DriveContext,
  path: string,
  opts: DownloadOptions,
): DownloadHandle {
  const events = new EventEmitter()
  const abort = new AbortController()
  const promise = (async () => {
    await drive.ready()
    const located = await statLocated(drive, path, false)
    const files: { path: string; stat: Stat; trie: DriveTrie }[] = []
    if (!located.stat.isDirectory()) files.push({ path, stat: located.stat, trie: located.trie })
    else {
      const recursive = opts.recursive !== false
      for await (const e of statEntries(listingOf(drive), path, {
        recursive,
        noMounts: !!opts.noMounts,
        gt: false,
      })) {
        if (!e.stat.blocks || e.stat.mount || e.stat.isDirectory() || e.stat.linkname) continue
        files.push({ path: e.path, stat: e.stat, trie: e.trie })
      }
    }
    return downloadFiles(
      files,
      (trie) => drive.contentCores.get(trie),
      { ...opts, signal: abort.signal },
      (p) => events.emit('progress', p),
    )
  })()
  promise.catch(() => {})
  return Object.assign(promise, {
    on: (event: 'progress', fn: (p: DownloadProgress) => void) => events.on(event, fn),
    destroy: () => abort.abort(),
  })
}
