// Reads the shared hyperdrive vectors (produced by the originals).
import { readFileSync } from 'node:fs'

const VECTORS = `${process.env.HYPERSTACK_SHARED}/spec/vectors/`

export interface VectorStat {
  mode: number
  uid: number
  gid: number
  size: number
  blocks: number
  offset: number
  byteOffset: number
  mtime: number
  ctime: number
  linkname: string | null
  mount: { key: string; version: number; hash: string | null; hypercore: boolean } | null
  metadata: Record<string, string>
}

export interface VectorNode {
  key: string
  value: string
  seq: number
  flags: number
  hidden: boolean
  decodedValue: ({ kind: 'Stat' } & VectorStat) | { kind: string; version?: number }
}

export interface VectorBlock {
  seq: number
  hex: string
  header?: { type: string; metadata: string; subtype: string }
  node?: VectorNode
}

export interface BasicVectors {
  pinnedClockMs: number
  keys: Record<string, Record<string, { name: string; publicKey: string; discoveryKey: string }>>
  metadataBlocks: VectorBlock[]
  contentBlocks: { index: number; byteOffset: number; length: number; sha256: string }[]
  mountedDrive: { metadataBlocks: VectorBlock[] }
  reads: {
    name: string
    opts?: { start?: number; end?: number; length?: number }
    length: number
    sha256: string
  }[]
  readdirs: { name: string; opts: Record<string, boolean>; result: unknown[] }[]
  stats: { path: string; call: string; stat: VectorStat; error?: string }[]
  tags: Record<string, number>
  taggedVersion: number
  readdirRecursiveNoMountsAtTag: string[]
  diffSinceTag: {
    type: string
    name: string
    seq?: number
    previous?: { seq: number }
    value?: VectorStat
  }[]
  expectedEntries: {
    path: string
    type: string
    stat: VectorStat
    readdir?: string[]
    contentSha256?: string
    contentLength?: number
    linkname?: string
  }[]
  finalVersion: { A: number; B: number }
}

export interface WritesVectors {
  results: { desc: string; contentBlocksAppended: number[] }[]
  finalStats: Record<string, VectorStat>
}

export function loadVectors<T>(name: string): T {
  return JSON.parse(readFileSync(VECTORS + name, 'utf-8')) as T
}
