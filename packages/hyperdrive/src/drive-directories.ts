// Directories: mkdir, rmdir (ENOTEMPTY) and readdir (names, or entries with stats).
import { type DriveContext, checkWritable } from './drive-context.js'
import { putStat } from './drive-files.js'
import type { MkdirOptions } from './drive-options.js'
import { listingOf } from './drive-stat.js'
import {
  DirectoryNotEmptyError,
  FileNotFoundError,
  NotDirectoryError,
  PathAlreadyExistsError,
} from './errors.js'
import { toTrieKey } from './paths.js'
import { type ReaddirEntry, type ReaddirOptions, readdirEntries } from './readdir.js'
import { Stat } from './stat.js'

/** Writes a directory Stat at `path` (normalised); EEXIST when any node is already there. */
export async function makeDirectory(
  drive: DriveContext,
  path: string,
  opts: MkdirOptions,
): Promise<Stat> {
  checkWritable(drive, path)
  await drive.ready()
  const { node, trie } = await drive.trie.get(toTrieKey(path))
  if (node) throw new PathAlreadyExistsError(path)
  const content = await drive.contentCores.get(trie)
  const st = Stat.directory({ ...opts, offset: content.length, byteOffset: content.byteLength })
  await putStat(drive, path, st)
  return st
}

/** Deletes a directory node: ENOTEMPTY with entries, ENOTDIR on a file, ENOENT without a node. */
export async function removeDirectory(drive: DriveContext, path: string): Promise<void> {
  checkWritable(drive, path)
  await drive.ready()
  const { node } = await drive.trie.get(toTrieKey(path))
  if (node && !Stat.decode(node.value).isDirectory()) throw new NotDirectoryError(path)
  for await (const _ of readdirEntries(listingOf(drive), path))
    throw new DirectoryNotEmptyError(path)
  if (!node || !(await drive.trie.del(toTrieKey(path)))) throw new FileNotFoundError(path)
}

/** readdir of `path` (normalised): ENOTDIR when a file is there and it lists nothing. */
export async function listDirectory(
  drive: DriveContext,
  path: string,
  opts: ReaddirOptions,
): Promise<(string | ReaddirEntry)[]> {
  await drive.ready()
  const out: (string | ReaddirEntry)[] = []
  for await (const e of readdirEntries(listingOf(drive), path, opts)) out.push(e)
  if (out.length === 0 && path !== '/') {
    const { node } = await drive.trie.get(toTrieKey(path))
    if (node) {
      const st = Stat.decode(node.value)
      if (!st.isDirectory() && !st.linkname) throw new NotDirectoryError(path)
    }
  }
  return out
}

/** Async iterable of readdir entries with stats. */
export async function* directoryEntries(
  drive: DriveContext,
  path: string,
  opts: ReaddirOptions,
): AsyncGenerator<string | ReaddirEntry> {
  await drive.ready()
  yield* readdirEntries(listingOf(drive), path, { ...opts, includeStats: true })
}
