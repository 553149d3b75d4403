// Directory listings as hyperdrive@10's statIterator/readdirIterator: trie order, symlinks to
// directories expanded (recursive), dangling links left out of recursive listings.
import { posix } from 'node:path'
import type { DriveTrie, TrieEntry, TrieMountInfo } from './drive-backend.js'
import { fromTrieKey, resolveLinkTarget, toTrieKey } from './paths.js'
import { Stat } from './stat.js'

export interface ReaddirOptions {
  recursive?: boolean
  noMounts?: boolean
  includeStats?: boolean
}

export interface ReaddirEntry {
  name: string
  path: string
  stat: Stat
  mount: TrieMountInfo
  innerPath: string
}

export interface StatEntry {
  path: string
  stat: Stat
  trie: DriveTrie
  mount: TrieMountInfo
  innerPath: string
}

/** What the listing needs from the drive: the trie and a symlink-following stat. */
export interface ListingSource {
  readonly trie: DriveTrie
  /** stat() that resolves links; resolves null when nothing is there. */
  statOrNull(path: string): Promise<{ stat: Stat; resolvedPath: string } | null>
}

/** Placeholder Stat of entries a names-only listing never looks at. */
const UNDECODED = Stat.directory({ mtime: 1, ctime: 1 })

interface Frame {
  /** Drive path the entries are reported under ("/" for the real tree). */
  path: string
  /** Trie key of the link target whose entries are reported under `path`. */
  target: string
  iterator: AsyncIterator<TrieEntry>
}

/** Every node under `path` (or its representatives when not recursive), links expanded. */
export async function* statEntries(
  src: ListingSource,
  path: string,
  opts: { recursive: boolean; noMounts: boolean; gt: boolean; namesOnly?: boolean },
  maxLinkDepth = 40,
): AsyncGenerator<StatEntry> {
  const trieOpts = { recursive: opts.recursive, noMounts: opts.noMounts, gt: opts.gt }
  const stack: Frame[] = [
    {
      path: '/',
      target: '',
      iterator: src.trie.iterator(toTrieKey(path), trieOpts)[Symbol.asyncIterator](),
    },
  ]
  while (stack.length > 0) {
    const top = stack[0]
    const r = await top.iterator.next()
    if (r.done) {
      stack.shift()
      continue
    }
    const node = r.value
    const nodePath = fromTrieKey(node.key)
    // A names-only, one-level listing needs no Stat below the listed path: a link there is
    // not expanded (only the listed path itself is), so skip decoding 100k Stats.
    if (opts.namesOnly && !opts.recursive && stack.length === 1 && nodePath !== path) {
      yield {
        path: nodePath,
        stat: UNDECODED,
        trie: node.trie,
        mount: node.mount,
        innerPath: node.innerPath,
      }
      continue
    }
    const stat = Stat.decode(node.value)
    if (stat.linkname && (opts.recursive || stack.length === 1)) {
      const linkPath = fromTrieKey(node.key)
      if (opts.recursive || linkPath === path) {
        const target = await src.statOrNull(resolveLinkTarget(linkPath, stat.linkname))
        if (!target) continue
        if (target.stat.isDirectory() && stack.length < maxLinkDepth) {
          const it = src.trie.iterator(toTrieKey(target.resolvedPath), { ...trieOpts, gt: true })
          stack.unshift({
            path: linkPath,
            target: toTrieKey(target.resolvedPath),
            iterator: it[Symbol.asyncIterator](),
          })
        }
      }
      yield { path: linkPath, stat, trie: node.trie, mount: node.mount, innerPath: node.innerPath }
      continue
    }
    const resolved =
      top.path === '/' ? nodePath : posix.join(top.path, node.key.slice(top.target.length))
    yield {
      path: fromTrieKey(resolved),
      stat,
      trie: node.trie,
      mount: node.mount,
      innerPath: node.innerPath,
    }
  }
}

/** readdir: names (or entries with stats) relative to `name`, in trie order. */
export async function* readdirEntries(
  src: ListingSource,
  name: string,
  opts: ReaddirOptions = {},
): AsyncGenerator<string | ReaddirEntry> {
  const recursive = !!opts.recursive
  const namesOnly = !opts.includeStats
  const it = statEntries(src, name, { recursive, noMounts: !!opts.noMounts, gt: false, namesOnly })
  const dirPrefix = name === '/' ? '/' : `${name}/`
  for await (const { path, stat, mount, innerPath } of it) {
    const relativePath =
      name === path
        ? path
        : path.startsWith(dirPrefix)
          ? path.slice(dirPrefix.length)
          : posix.relative(name, path)
    if (relativePath === name) continue
    if (recursive) {
      yield opts.includeStats ? { name: relativePath, path, stat, mount, innerPath } : relativePath
      continue
    }
    const slash = relativePath.indexOf('/')
    const first = slash === -1 ? relativePath : relativePath.slice(0, slash)
    if (opts.includeStats) {
      const isChild = slash === -1
      yield { name: first, path, stat: isChild ? stat : Stat.directory(), mount, innerPath }
    } else {
      yield first
    }
  }
}
