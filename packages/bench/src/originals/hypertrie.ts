// hypertrie@5 as the workloads use it, behind a small typed interface.
import { createRequire } from 'node:module'
import type { Duplex } from 'node:stream'
import type { OriginalFeed } from './hypercore.js'
import type { OriginalStorage } from './storage.js'

const require = createRequire(import.meta.url)

export interface OriginalTrieNode {
  key: string
  value: Buffer | null
}

export interface OriginalTrieIterator {
  next(cb: (err: Error | null, node: OriginalTrieNode | null) => void): void
}

export interface OriginalTrie {
  key: Buffer
  feed: OriginalFeed
  ready(cb: (err: Error | null) => void): void
  put(key: string, value: Buffer, cb: (err: Error | null) => void): void
  get(key: string, cb: (err: Error | null, node: OriginalTrieNode | null) => void): void
  batch(ops: { type: 'put'; key: string; value: Buffer }[], cb: (err: Error | null) => void): void
  list(
    prefix: string,
    opts: { recursive?: boolean },
    cb: (err: Error | null, nodes: OriginalTrieNode[]) => void,
  ): void
  iterator(prefix: string, opts?: { recursive?: boolean }): OriginalTrieIterator
  replicate(isInitiator: boolean, opts?: { live?: boolean }): Duplex
}

export type OriginalHypertrie = (
  storage: OriginalStorage,
  key?: Buffer | null,
  opts?: { sparse?: boolean; valueEncoding?: string },
) => OriginalTrie

export const hypertrie = require('hypertrie') as OriginalHypertrie
