// Looking a path up: its Stat (following symlinks or not), the trie that owns it, and the
// symlink-following source the directory listings use.
import type { DriveTrie, TrieGetResult } from './drive-backend.js'
import { type DriveContext, type Located, openedTrie } from './drive-context.js'
import { FileNotFoundError, TooManySymlinksError } from './errors.js'
import { fixName, resolveLinkTarget, toTrieKey } from './paths.js'
import type { ListingSource } from './readdir.js'
import { Stat } from './stat.js'

const MAX_SYMLINK_DEPTH = 40

/**
 * The Stat at `name` (a normalised path), not following a link there. `found` is the root
 * trie's lookup of `name` when the caller already made it.
 */
export async function lstatLocated(
  drive: DriveContext,
  name: string,
  file: boolean,
  found?: TrieGetResult,
): Promise<Located> {
  const root = drive.openTrie ?? (await openedTrie(drive))
  const { node, trie, mount, innerPath } = found ?? (await root.get(toTrieKey(name)))
  if (node)
    return {
      stat: Stat.decode(node.value),
      trie: node.trie,
      mount: node.mount,
      innerPath: node.innerPath,
      path: name,
    }
  if (file) throw new FileNotFoundError(name)
  if (name === '/') return { stat: Stat.directory(), trie, mount, innerPath, path: name }
  // An implicit directory: as the original, a directory Stat copied from the first node below.
  for await (const child of root.iterator(toTrieKey(name))) {
    const st = Stat.decode(child.value)
    return {
      stat: Stat.directory({ ...st, mode: 0 }),
      trie: child.trie,
      mount: child.mount,
      innerPath: child.innerPath,
      path: name,
    }
  }
  throw new FileNotFoundError(name)
}

/**
 * The Stat at `name` (a normalised path), following links; ELOOP past 40 of them. `found` is
 * the root trie's lookup of `name` when the caller already made it.
 */
export async function statLocated(
  drive: DriveContext,
  name: string,
  file: boolean,
  found?: TrieGetResult,
): Promise<Located> {
  let path = name
  for (let depth = 0; depth <= MAX_SYMLINK_DEPTH; depth++) {
    const located = await lstatLocated(drive, path, file, depth === 0 ? found : undefined)
    // Only a real link is followed: an implicit directory copies its first child's Stat, linkname
    // included (as the original), and the original would wrongly follow that copied link.
    const linkname = located.stat.linkname
    if (!linkname || !located.stat.isSymbolicLink()) return located
    path = fixName(resolveLinkTarget(path, linkname))
  }
  throw new TooManySymlinksError(name)
}

/** A Stat that is a real link (an implicit directory's copied linkname is not followed). */
export function isLink(st: Stat): boolean {
  return !!st.linkname && st.isSymbolicLink()
}

/**
 * stat() of a normalised path: one trie lookup and one decode when a node that is not a link
 * is there (the common case); links, implicit directories and misses take the full walk.
 */
export function statOf(drive: DriveContext, name: string): Promise<Stat> {
  const root = drive.openTrie
  // A cached Stat: no lookup, no promise chain.
  const cached = root === null ? null : cachedPlain(drive, root, toTrieKey(name))
  return cached !== null ? Promise.resolve(cached) : lookupStat(drive, name)
}

/** The Stat cache's entry for `key` of `root`, when there is one and it is not a link. */
export function cachedPlain(drive: DriveContext, root: DriveTrie, key: string): Stat | null {
  const value = drive.statCache?.get(root, key)
  if (value === undefined) return null
  const st = Stat.decode(value)
  return isLink(st) ? null : st
}

/** What one lookup found: a node that is not a link, decoded, or the raw result for the full walk. */
export interface PlainLookup {
  plain: { stat: Stat; trie: DriveTrie } | null
  found: TrieGetResult
}

/**
 * One lookup of `key` in `root`, the common case of stat and reads: a node that is not a link
 * comes back decoded (and is kept in the Stat cache when it is the drive's own).
 */
export async function lookupPlain(
  drive: DriveContext,
  root: DriveTrie,
  key: string,
): Promise<PlainLookup> {
  const version = root.version
  const found = await root.get(key)
  const node = found.node
  if (node === null) return { plain: null, found }
  const stat = Stat.decode(node.value)
  if (isLink(stat)) return { plain: null, found }
  if (drive.statCache !== null && node.trie === root)
    drive.statCache.read(root, version, key, node.value)
  return { plain: { stat, trie: node.trie }, found }
}

async function lookupStat(drive: DriveContext, name: string): Promise<Stat> {
  const root = drive.openTrie ?? (await openedTrie(drive))
  const { plain, found } = await lookupPlain(drive, root, toTrieKey(name))
  if (plain !== null) {
    const st = plain.stat
    if (st.blocks > 0) warmContent(drive, plain.trie, st.offset + st.blocks)
    return st
  }
  return (await statLocated(drive, name, false, found)).stat
}

function noop(): void {}

/**
 * Starts opening the content core of `trie`'s drive when it is not open yet (a replica learns
 * its key from the header block, then opens it and hears its length from peers: round trips),
 * and asks peers for its length when it is short of `minLength` blocks. A stat is usually
 * followed by a read, which then finds the core ready. Failures are left to that read.
 */
export function warmContent(drive: DriveContext, trie: DriveTrie, minLength: number): void {
  const open = drive.contentCores.current(trie)
  if (open !== undefined) {
    if (open.length < minLength && !open.writable && open.update)
      open.update({ ifAvailable: true, minLength }).catch(noop)
    return
  }
  drive.contentCores.get(trie).then((core) => {
    if (core.length < minLength && !core.writable && core.update)
      core.update({ ifAvailable: true, minLength }).catch(noop)
  }, noop)
}

/** The listing source of a drive: its trie and a stat that leaves out dangling links. */
export function listingOf(drive: DriveContext): ListingSource {
  return {
    trie: drive.trie,
    statOrNull: async (p: string) => {
      try {
        const located = await statLocated(drive, fixName(p), false)
        return { stat: located.stat, resolvedPath: located.path }
      } catch (err) {
        // A link into nothing or into a loop is left out of listings (the original omits
        // dangling links, and would never finish a loop).
        const code = (err as { code?: string }).code
        if (code === 'ENOENT' || code === 'ELOOP') return null
        throw err
      }
    },
  }
}
