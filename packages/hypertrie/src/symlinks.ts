// Symlink resolution for the mount-aware trie: a link's target comes from a caller-supplied
// reader (hyperdrive keeps it in the Stat value); resolution is bounded and ends in ELOOP.
import { TriePathError } from './errors.js'
import { normalizePath } from './mount-paths.js'

export const DEFAULT_MAX_SYMLINK_DEPTH = 16

/** Returns the link target when the entry at `path` is a symlink, else null. */
export type LinkLookup = (path: string) => Promise<string | null>

function parts(path: string): string[] {
  return normalizePath(path)
    .split('/')
    .filter((c) => c !== '' && c !== '.')
}

/**
 * Resolves every symlink component of `path` (the last one too unless `followLast` is false).
 * Absolute targets start at the trie root; relative ones at the link's directory.
 */
export async function resolveSymlinks(
  path: string,
  readLink: LinkLookup,
  maxDepth = DEFAULT_MAX_SYMLINK_DEPTH,
  followLast = true,
): Promise<string> {
  let pending = parts(path)
  let resolved: string[] = []
  let hops = 0
  while (pending.length) {
    const c = pending.shift()!
    if (c === '..') {
      resolved.pop()
      continue
    }
    const candidate = [...resolved, c].join('/')
    const isLast = pending.length === 0
    const target = isLast && !followLast ? null : await readLink(candidate)
    if (target === null) {
      resolved.push(c)
      continue
    }
    if (++hops > maxDepth) {
      throw new TriePathError('ELOOP', path, `more than ${maxDepth} symbolic links`)
    }
    const rest = pending
    pending = [...parts(target), ...rest]
    resolved = target.startsWith('/') ? [] : resolved
  }
  return resolved.join('/')
}
