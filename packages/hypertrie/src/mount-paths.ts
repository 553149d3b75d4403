// Path rules of the mount-aware trie: mountable-hypertrie@2's normalisation (unixify, then one
// leading "/" dropped) and the translation of paths into and out of a mounted trie.
import { posix } from 'node:path'

/** Where a trie is mounted in its parent: the record of a `mounts/<path>` node. */
export interface MountInfo {
  key: Buffer
  /** Pinned version, null when following the latest. */
  version: number | null
  /** Mount path in the parent trie ('' for a root). */
  localPath: string
  /** Path inside the mounted trie that the mount shows ('' for its root). */
  remotePath: string
}

export const MOUNT_PREFIX = 'mounts'
/** User flag 1 marks mount points and mount records. */
export const MOUNT_FLAG = 1

/** unixify (separators collapsed, trailing one dropped, "X:" or "./" dropped), then one leading "/". */
export function normalizePath(path: string): string {
  let s = path.replace(/[\\/]+/g, '/')
  if (s.length > 2) {
    let i = s.length - 1
    while (i > 0 && s[i] === '/') i--
    s = s.slice(0, i + 1)
  }
  s = s.replace(/^([a-zA-Z]+:|\.\/)/, '')
  return s.startsWith('/') ? s.slice(1) : s
}

/** posix.join without the "." that posix gives for empty results, and without a leading "/". */
export function joinPath(a: string, b: string): string {
  if (!a) return normalizePath(b)
  if (!b) return normalizePath(a)
  const j = posix.join(a, b)
  return j === '.' ? '' : normalizePath(j)
}

export function mountRecordKey(path: string): string {
  return joinPath(MOUNT_PREFIX, path)
}

/** True when `path` is `mountPath` or lies below it (component-wise). */
export function isWithin(mountPath: string, path: string): boolean {
  if (mountPath === '') return true
  return path === mountPath || path.startsWith(`${mountPath}/`)
}

/**
 * A path of the parent trie as the mounted trie sees it: the remote path, then the rest below
 * the mount point. (mountable-hypertrie@2 joins the remote path after the rest, and gives "." at
 * or above the mount point; both name no key, so we use the consistent order.)
 */
export function pathToMount(path: string, info: MountInfo): string {
  if (path.length <= info.localPath.length) return normalizePath(info.remotePath)
  return joinPath(info.remotePath, path.slice(info.localPath.length))
}

/** A key of the mounted trie as the parent trie shows it. */
export function pathFromMount(key: string, info: MountInfo): string {
  const rel = info.remotePath ? key.slice(normalizePath(info.remotePath).length) : key
  return joinPath(info.localPath, rel)
}
