// createDiffStream entries as hyperdrive@10 shapes them: { type, name, seq?, previous?, value? }.
import { Readable } from './commonjs.js'
import type { TrieDiffEntry } from './drive-backend.js'
import { Stat } from './stat.js'

export interface DiffEntry {
  type: 'put' | 'del' | 'mount' | 'unmount'
  /** Trie key, no leading "/". */
  name: string
  seq?: number
  previous?: { seq: number }
  /** The Stat for put, the mount info for mount, absent for del/unmount. */
  value?: Stat | unknown
}

export function toDiffEntry(chunk: TrieDiffEntry): DiffEntry {
  const entry: DiffEntry = { type: chunk.type, name: chunk.key }
  if (chunk.left) entry.seq = chunk.left.seq
  if (chunk.right) entry.previous = { seq: chunk.right.seq }
  if (chunk.left && chunk.type !== 'mount' && chunk.type !== 'unmount') {
    entry.value = Stat.decode(chunk.left.value)
  } else if (chunk.left) {
    entry.value = chunk.info
  }
  return entry
}

export class DiffStream extends Readable {
  private readonly source: () => Promise<AsyncIterable<TrieDiffEntry>>
  private iterator: AsyncIterator<TrieDiffEntry> | null = null

  constructor(source: () => Promise<AsyncIterable<TrieDiffEntry>>) {
    super()
    this.source = source
  }

  override _open(cb: (err: Error | null) => void): void {
    this.source().then((it) => {
      this.iterator = it[Symbol.asyncIterator]()
      cb(null)
    }, cb)
  }

  override _read(cb: (err: Error | null) => void): void {
    this.iterator!.next().then((r) => {
      if (r.done) this.push(null)
      else this.push(toDiffEntry(r.value))
      cb(null)
    }, cb)
  }
}
