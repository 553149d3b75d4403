// Drive paths normalised as hyperdrive@10 does (unixify + a leading "/"), and symlink resolution.
import { posix } from 'node:path'
import { InvalidArgumentError } from './errors.js'

/**
 * unixify@1 (normalize-path@2 + remove-trailing-separator): runs of "/" or "\" become one "/",
 * trailing separators go (only when the string has 3+ characters, as the original), and a
 * leading "X:" or "./" is dropped. "." and ".." segments are kept, as the original keeps them.
 */
export function unixify(path: string): string {
  let s = path.replace(/[\\/]+/g, '/')
  if (s.length - 1 >= 2) {
    let i = s.length - 1
    while (i > 0 && s[i] === '/') i--
    s = s.slice(0, i + 1)
  }
  return s.replace(/^([a-zA-Z]+:|\.\/)/, '')
}

/** Checks a user path: a string without NUL bytes. */
export function checkPath(path: unknown): string {
  if (typeof path !== 'string') {
    throw new InvalidArgumentError(`Path must be a string, got ${typeof path}`)
  }
  if (path.includes('\0')) throw new InvalidArgumentError('Path contains a NUL byte', path)
  return path
}

// A path unixify leaves alone: one leading "/", no "\\", no "//", no trailing "/" (unless "/").
const CLEAN_PATH = /^\/(?:[^/\\\0]+(?:\/[^/\\\0]+)*)?$/

/** hyperdrive's `fixName`: unixify, then make sure there is one leading "/". */
export function fixName(path: unknown): string {
  if (typeof path === 'string' && CLEAN_PATH.test(path)) return path
  const name = unixify(checkPath(path))
  return name.startsWith('/') ? name : `/${name}`
}

/** The trie key of a drive path: the normalised path without its leading "/" ("/" -> ""). */
export function toTrieKey(path: string): string {
  if (CLEAN_PATH.test(path)) return path.slice(1)
  const name = unixify(path)
  return name.startsWith('/') ? name.slice(1) : name
}

/** A drive path ("/" + key) from a trie key. */
export function fromTrieKey(key: string): string {
  return key.startsWith('/') ? key : `/${key}`
}

/** Where a symlink at `linkPath` points: absolute targets as is, relative ones from its dir. */
export function resolveLinkTarget(linkPath: string, linkname: string): string {
  if (posix.isAbsolute(linkname)) return linkname
  return posix.resolve('/', posix.dirname(linkPath), linkname)
}

/** True when `path` is `dir` itself or lies below it (by components, like the trie). */
export function isWithin(dir: string, path: string): boolean {
  const d = toTrieKey(dir)
  const p = toTrieKey(path)
  return d === '' || p === d || p.startsWith(`${d}/`)
}
