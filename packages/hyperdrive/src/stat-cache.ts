// The Stat bytes of recently looked-up or written paths of a drive's own trie, for a writer or
// a checkout (whose trie changes only through its own writes, or never). An entry is served only
// while the trie is still at the version the cache describes; any append the cache did not
// follow (another writer object, a mount, a tag, a delete) empties it on the next lookup.
import type { DriveTrie, TriePutResult } from './drive-backend.js'

/** Entries kept at most (the oldest go first); a few MiB at most. */
export const STAT_CACHE_ENTRIES = 16384

export class StatCache {
  private readonly entries = new Map<string, Buffer>()
  /** The trie version every entry is valid at (-1: none yet). */
  private version = -1

  constructor(private readonly limit = STAT_CACHE_ENTRIES) {}

  /** The value of the node at `key` of `root`, when known at its current version. */
  get(root: DriveTrie, key: string): Buffer | undefined {
    if (root.version !== this.version) {
      this.reset(root.version)
      return undefined
    }
    return this.entries.get(key)
  }

  /**
   * Remembers a node of `root` itself (not of a mounted trie) read by a lookup that started at
   * `version`: kept only when no append happened while it ran.
   */
  read(root: DriveTrie, version: number, key: string, value: Buffer): void {
    if (root.version !== version) return
    if (this.version !== version) this.reset(version)
    this.set(key, value)
  }

  /**
   * Follows a put this drive made through `root`: when it appended the very next node of `root`
   * (so the cache knew every node before it, or holds nothing), the cache moves one version on
   * with the new value.
   * Otherwise nothing is recorded and the next lookup finds the version changed.
   */
  wrote(root: DriveTrie, key: string, value: Buffer, result: TriePutResult | undefined): void {
    if (!result || result.trie !== root) return
    // An empty cache is valid at any version: start following from this node.
    if (this.entries.size === 0) this.version = result.seq
    if (result.seq !== this.version) return
    this.version = result.seq + 1
    this.set(key, value)
  }

  private set(key: string, value: Buffer): void {
    if (this.entries.size >= this.limit && !this.entries.has(key)) {
      const oldest = this.entries.keys().next()
      if (!oldest.done) this.entries.delete(oldest.value)
    }
    this.entries.set(key, value)
  }

  private reset(version: number): void {
    if (this.entries.size > 0) this.entries.clear()
    this.version = version
  }
}
