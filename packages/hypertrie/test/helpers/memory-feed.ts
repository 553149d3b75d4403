// A tiny in-memory TrieFeed for unit tests of the trie logic (no signatures, no replication).
import { EventEmitter } from 'node:events'
import type { TrieFeed, TrieFeedGetOptions } from '../../src/feed.js'

export class MemoryFeed extends EventEmitter implements TrieFeed {
  readonly key = Buffer.alloc(32, 1)
  readonly discoveryKey = Buffer.alloc(32, 2)
  readonly writable: boolean
  readonly sparse = false
  readonly blocks: Buffer[]
  gets = 0

  constructor(blocks: Buffer[] = [], writable = true) {
    super()
    this.blocks = blocks
    this.writable = writable
  }

  get length(): number {
    return this.blocks.length
  }

  async ready(): Promise<void> {}

  async append(blocks: Buffer | Buffer[]): Promise<void> {
    const list = Array.isArray(blocks) ? blocks : [blocks]
    for (const b of list) this.blocks.push(Buffer.from(b))
    this.emit('append')
  }

  async get(index: number, _opts?: TrieFeedGetOptions): Promise<Buffer> {
    this.gets++
    const b = this.blocks[index]
    if (!b) throw new Error(`block ${index} not available`)
    return b
  }

  has(index: number): boolean {
    return index < this.blocks.length
  }

  replicate(): unknown {
    throw new Error('MemoryFeed does not replicate')
  }

  async close(): Promise<void> {}
}
