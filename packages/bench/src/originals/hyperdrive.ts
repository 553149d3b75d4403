// hyperdrive@10 as the workloads use it, behind a small typed interface.
import { createRequire } from 'node:module'
import type { Duplex, Readable, Writable } from 'node:stream'
import type { OriginalFeed } from './hypercore.js'
import type { OriginalStorage } from './storage.js'

const require = createRequire(import.meta.url)

export interface OriginalStat {
  size: number
  isDirectory(): boolean
}

export interface OriginalDrive {
  key: Buffer
  discoveryKey: Buffer
  metadata: OriginalFeed
  ready(cb: (err: Error | null) => void): void
  writeFile(path: string, data: Buffer | string, cb: (err: Error | null) => void): void
  readFile(path: string, cb: (err: Error | null, data: Buffer) => void): void
  stat(path: string, cb: (err: Error | null, stat: OriginalStat) => void): void
  readdir(path: string, cb: (err: Error | null, names: string[]) => void): void
  createWriteStream(path: string): Writable
  createReadStream(path: string, opts?: { start?: number; length?: number }): Readable
  replicate(isInitiator: boolean, opts?: { live?: boolean }): Duplex
  close(cb: (err: Error | null) => void): void
}

export type OriginalHyperdrive = (
  storage: OriginalStorage | string,
  key?: Buffer | null,
  opts?: { sparse?: boolean },
) => OriginalDrive

export const hyperdrive = require('hyperdrive') as OriginalHyperdrive
