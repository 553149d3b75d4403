// hypercore@9 as the workloads use it, behind a small typed interface.
import { createRequire } from 'node:module'
import type { Duplex } from 'node:stream'
import type { OriginalStorage } from './storage.js'

const require = createRequire(import.meta.url)

export interface OriginalFeed {
  key: Buffer
  discoveryKey: Buffer
  length: number
  byteLength: number
  ready(cb: (err: Error | null) => void): void
  append(data: Buffer | Buffer[], cb: (err: Error | null) => void): void
  get(index: number, cb: (err: Error | null, block: Buffer) => void): void
  /** Waits until the feed's length grows past its current one. */
  update(cb: (err: Error | null) => void): void
  download(range: { start: number; end: number }, cb: (err: Error | null) => void): unknown
  replicate(isInitiator: boolean, opts?: { live?: boolean; stream?: unknown }): Duplex
  on(event: 'download', listener: (index: number, data: Buffer) => void): void
  close(cb: (err: Error | null) => void): void
}

export interface OriginalFeedOptions {
  sparse?: boolean
  storeSecretKey?: boolean
}

export type OriginalHypercore = (
  storage: OriginalStorage,
  key?: Buffer | null,
  opts?: OriginalFeedOptions,
) => OriginalFeed

export const hypercore = require('hypercore') as OriginalHypercore
