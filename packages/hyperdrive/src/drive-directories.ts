// Directories: mkdir, rmdir (ENOTEMPTY) and readdir (names, or entries with stats).
import { posix } from 'node:path'
import type { DriveTrie } from './drive-backend.js'
import { type DriveContext, checkWritable, openedTrie } from './drive-context.js'
import { putStat } from './drive-files.js'
import type { MkdirOptions } from './drive-options.js'
import { listingOf } from './drive-stat.js'
import {
  DirectoryNotEmptyError,
  FileNotFoundError,
  NotDirectoryError,
  PathAlreadyExistsError,
} from './errors.js'
import { fromTrieKey, toTrieKey } from './paths.js'
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
  const trie = drive.openTrie ?? (await openedTrie(drive))
  const out: (string | ReaddirEntry)[] =
    (!opts.includeStats && !opts.recursive && (await namesOf(trie, path, !!opts.noMounts))) || []
  if (out.length === 0)
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

/**
 * One level of names straight from the trie's keys (no entries, no Stats): readdir's common
 * case. Null when this cannot answer it (a link at `path` to expand, or no scan on the trie).
 */
async function namesOf(trie: DriveTrie, path: string, noMounts: boolean): Promise<string[] | null> {
  if (!trie.scan) return null
  const dirKey = toTrieKey(path)
  const skip = dirKey === '' ? 0 : dirKey.length + 1
  const names: string[] = []
  let self: Buffer | null | undefined
  const complete = await trie.scan(
    dirKey,
    { recursive: false, noMounts, gt: false },
    (key, node) => {
      if (key === dirKey) {
        self = node.valueBuffer
        return
      }
      const rel =
        skip === 0 || (key.startsWith(dirKey) && key.charCodeAt(dirKey.length) === 47)
          ? key.slice(skip)
          : posix.relative(path, fromTrieKey(key))
      const slash = rel.indexOf('/')
      names.push(slash === -1 ? rel : rel.slice(0, slash))
    },
  )
  if (!complete) return null
  // A link at the listed path lists its target's entries: leave that to the full listing.
  if (self && Stat.decode(self).linkname) return null
  return names
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
