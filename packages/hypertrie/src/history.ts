// The log in seq order (hypertrie@5's lib/history.js): every node from `gte` to `lte`, forwards,
// backwards or live. Like the original it ends at the first reset node.
import type { NodeSource } from './node-source.js'
import type { TrieNode } from './trie-node.js'

export interface HistoryOptions {
  gt?: number
  gte?: number
  lt?: number
  lte?: number
  reverse?: boolean
  /** Keep waiting for new blocks (forwards only). */
  live?: boolean
}

export interface HistoryHost {
  src: NodeSource
  headSeq(): Promise<number>
}

export class NodeHistory {
  private gte: number
  private lte: number
  private readonly reverse: boolean
  private readonly live: boolean
  private readonly host: HistoryHost
  private opened = false
  private destroyed = false

  constructor(host: HistoryHost, opts: HistoryOptions = {}) {
    this.host = host
    this.gte =
      typeof opts.gt === 'number' ? opts.gt + 1 : typeof opts.gte === 'number' ? opts.gte : 1
    this.lte =
      typeof opts.lt === 'number' ? opts.lt - 1 : typeof opts.lte === 'number' ? opts.lte : -1
    this.reverse = !!opts.reverse
    this.live = !!opts.live
  }

  private async open(): Promise<void> {
    this.opened = true
    if (this.live && !this.reverse) {
      this.lte = Number.POSITIVE_INFINITY
      return
    }
    const head = await this.host.headSeq()
    const headSeq = head ? head : -1
    this.lte = this.lte === -1 ? headSeq : Math.min(this.lte, headSeq)
  }

  async next(): Promise<TrieNode | null> {
    if (!this.opened) await this.open()
    if (this.destroyed || this.gte > this.lte) return null
    const seq = this.reverse ? this.lte-- : this.gte++
    // a live history waits for the block like hypercore's get does
    const node = await this.host.src.load(seq)
    return node
  }

  destroy(): void {
    this.destroyed = true
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<TrieNode> {
    while (true) {
      const n = await this.next()
      if (n === null) return
      yield n
    }
  }
}
