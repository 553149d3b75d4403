// download(path): fetches the content blocks of one file or of every file below a directory,
// with bounded concurrency and progress reports.
import type { DriveCore, DriveTrie } from './drive-backend.js'
import type { Stat } from './stat.js'
import { asBytes } from './trie-feed.js'

export interface DownloadOptions {
  /** Descend into subdirectories (default true). */
  recursive?: boolean
  /** Do not enter mounted drives. */
  noMounts?: boolean
  /** Blocks fetched at once (default 16). */
  maxConcurrent?: number
}

export interface DownloadProgress {
  files: number
  totalBlocks: number
  downloadedBlocks: number
  downloadedBytes: number
}

interface FileToFetch {
  path: string
  stat: Stat
  trie: DriveTrie
}

export async function downloadFiles(
  files: FileToFetch[],
  contentOf: (trie: DriveTrie) => Promise<DriveCore>,
  opts: DownloadOptions & { signal: AbortSignal },
  onprogress: (p: DownloadProgress) => void,
): Promise<DownloadProgress> {
  const progress: DownloadProgress = {
    files: files.length,
    totalBlocks: files.reduce((n, f) => n + f.stat.blocks, 0),
    downloadedBlocks: 0,
    downloadedBytes: 0,
  }
  const jobs: { core: DriveCore; index: number }[] = []
  for (const f of files) {
    const core = await contentOf(f.trie)
    for (let i = 0; i < f.stat.blocks; i++) jobs.push({ core, index: f.stat.offset + i })
  }
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      if (opts.signal.aborted) throw new DownloadCancelledError()
      const { core, index } = jobs[next++]
      const block = await core.get(index)
      progress.downloadedBlocks++
      progress.downloadedBytes += asBytes(block).length
      onprogress({ ...progress })
    }
  }
  const n = Math.max(1, Math.min(opts.maxConcurrent ?? 16, jobs.length))
  await Promise.all(Array.from({ length: n }, worker))
  return progress
}

export class DownloadCancelledError extends Error {
  readonly code = 'ECANCELED'
  constructor() {
    super('The download was cancelled')
    this.name = 'DownloadCancelledError'
  }
}
