// What the trie workloads share: the adapter interface and the 100k-key data set
// (`dir{i%100}/file{i}`, so each of the 100 directories holds 1% of the keys).
import type { ReplicationStream } from '../link.js'

export interface TrieEntry {
  key: string
  value: Buffer
}

/** A hypertrie in memory as the trie workloads need it. */
export interface BenchTrie {
  key: Buffer
  put(key: string, value: Buffer): Promise<void>
  /** Puts every entry as one batch. */
  batch(entries: TrieEntry[]): Promise<void>
  get(key: string): Promise<Buffer | null>
  /** Every key under `prefix` (recursive), as the original's `list`. */
  list(prefix: string): Promise<string[]>
  /** Walks every entry under `prefix` (recursive) with the iterator; returns how many. */
  iterate(prefix: string): Promise<number>
  /** Waits until a replica has learned the writer's latest version (after connecting). */
  update(): Promise<void>
  /** A live replication stream. */
  replicate(isInitiator: boolean): ReplicationStream
  close(): Promise<void>
}

export interface TrieAdapter {
  create(): Promise<BenchTrie>
  /** A sparse replica of `key` that fetches only what its reads need. */
  clone(key: Buffer): Promise<BenchTrie>
}

export const TRIE_BATCH = 100

export const trieKey = (i: number): string => `dir${i % 100}/file${i}`

export const trieValue = (i: number): Buffer => Buffer.from(`value-${i}`)

/** Fills `trie` with keys 0..count-1 in batches of 100 (setup, never measured). */
export async function fillTrie(trie: BenchTrie, count: number): Promise<void> {
  for (let start = 0; start < count; start += TRIE_BATCH) {
    const entries: TrieEntry[] = []
    for (let i = start; i < Math.min(count, start + TRIE_BATCH); i++) {
      entries.push({ key: trieKey(i), value: trieValue(i) })
    }
    await trie.batch(entries)
  }
}

export const loadOriginalTrie = async (): Promise<TrieAdapter> =>
  (await import('../adapters/originals/hypertrie.js')).trieAdapter

export const loadOurTrie = async (): Promise<TrieAdapter> =>
  (await import('../adapters/ours/hypertrie.js')).trieAdapter
