// Symlinks and per-file metadata: symlink, readlink, setMetadata/removeMetadata, copy.
import { type DriveContext, checkWritable } from './drive-context.js'
import { putStat } from './drive-files.js'
import { lstatLocated, statLocated } from './drive-stat.js'
import { FileNotFoundError, InvalidArgumentError, PathAlreadyExistsError } from './errors.js'
import type { StatMetadata } from './messages/stat-codec.js'
import { toTrieKey, unixify } from './paths.js'
import { Stat } from './stat.js'

/** Stores a link at `path` (normalised) to `target` (kept as given, unixified). EEXIST if taken. */
export async function makeSymlink(
  drive: DriveContext,
  target: string,
  path: string,
): Promise<void> {
  checkWritable(drive, path)
  await drive.ready()
  const { node } = await drive.trie.get(toTrieKey(path))
  if (node) throw new PathAlreadyExistsError(path)
  await putStat(drive, path, Stat.symlink({ linkname: unixify(target) }))
}

export async function readSymlink(drive: DriveContext, path: string): Promise<string> {
  const st = (await lstatLocated(drive, path, false)).stat
  if (!st.linkname) throw new InvalidArgumentError(`Not a symbolic link: '${path}'`, path)
  return st.linkname
}

/** Merges `metadata` into the Stat at `path` (normalised), keeping the node's flags. */
export async function updateMetadata(
  drive: DriveContext,
  path: string,
  metadata: StatMetadata,
): Promise<void> {
  await updateStat(drive, path, (st) => {
    st.metadata = Object.assign({}, st.metadata ?? {}, metadata)
  })
}

/**
 * Rewrites the Stat stored at `path` (normalised) with `change` applied, keeping the node's
 * flags (a mount point stays a mount point), as the original's _update. ENOENT, EPERM.
 */
export async function updateStat(
  drive: DriveContext,
  path: string,
  change: (st: Stat) => void,
): Promise<Stat> {
  checkWritable(drive, path)
  await drive.ready()
  const { node } = await drive.trie.get(toTrieKey(path))
  if (!node) throw new FileNotFoundError(path)
  const st = Stat.decode(node.value)
  change(st)
  await drive.trie.put(toTrieKey(path), st.encode(), { flags: node.flags })
  return st
}

/** A metadata-only copy: `to` points at the same content blocks as `from` (both normalised). */
export async function copyFile(drive: DriveContext, from: string, to: string): Promise<Stat> {
  const st = (await statLocated(drive, from, false)).stat
  await drive.ready()
  const { node } = await drive.trie.get(toTrieKey(to))
  if (node) return Stat.decode(node.value)
  checkWritable(drive, to)
  const copy = Stat.file(st)
  await putStat(drive, to, copy)
  return copy
}
