// Depth-first iteration in digit order from a prefix node (hypertrie@5's lib/iterator.js):
// terminator first, then digits 0-3; colliding siblings sorted by key; checkpointable.
// Each stack entry reads its node's stored table with a cursor, jumps straight over positions
// without a bucket, and `nextSync` walks cached nodes without a promise per entry.
import { encodeVarint } from './commonjs.js'
import { DecodeError } from './errors.js'
import { type LookupOptions, lookup, lookupLength, lookupTarget } from './get.js'
import { ProtoReader } from './messages/protobuf.js'
import type { MaybeNode, NodeSource, ReadOptions } from './node-source.js'
import { TableCursor } from './table-cursor.js'
import type { TrieNode } from './trie-node.js'

const ORDER = [3, 2, 1, 0, 4]
const REVERSE_ORDER = [4, 0, 1, 2, 3]

/** Extension request budget: after a request, expect this many blocks before asking again. */
export const ITERATOR_BATCH_SIZE = 2048

// Read-ahead (see NodeSource): an iterator that keeps missing the cache reads growing windows
// of blocks at once; short listings read block by block as before.
const READ_AHEAD_AFTER = 4
function readAheadWindow(misses: number): number {
  if (misses < 32) return 32
  if (misses < 128) return 128
  return 512
}

export interface IteratorOptions {
  /** Descend into every level (default) or yield one representative node per child component. */
  recursive?: boolean
  reverse?: boolean
  /** Skip the node exactly at the prefix. */
  gt?: boolean
  hidden?: boolean
  /** Shuffle the digit order at every level. */
  random?: boolean
  /** Bitmask that overrides the above: 1 recursive, 2 reverse, 4 gt, 8 hidden. */
  flags?: number
  /** Resume from `iterator.checkpoint()`. */
  checkpoint?: Uint8Array | null
  wait?: boolean
  timeout?: number
  /** false: never ask peers through the lookup extension. */
  extension?: boolean
  onseq?: ((seq: number) => void) | null
}

interface StackEntry {
  i: number
  seq: number
  node: TrieNode | null
  /** Where this entry's cursor over the node's table stands (off -1: not started). */
  off: number
  next: number
}

/** What an iterator needs from its trie. */
export interface IteratorHost {
  src: NodeSource
  headSeq(opts: ReadOptions): Promise<number>
  /** Sends an iterator request through the lookup extension; null when there is none. */
  requestIterator:
    | ((head: number, prefix: string, flags: number, checkpoint: Buffer | null) => void)
    | null
}

export class NodeIterator {
  readonly prefix: string
  private readonly host: IteratorHost
  private readonly recursive: boolean
  private readonly order: number[]
  private readonly random: boolean
  private readonly gt: boolean
  private readonly hidden: boolean
  private readonly checkpointBuf: Uint8Array | null
  private readonly onseq: ((seq: number) => void) | null
  private readonly readOpts: ReadOptions
  private stack: StackEntry[] = []
  private readonly cursor = new TableCursor()
  /** Reads the last step started; the step's sibling sorts run once they are in. */
  private pending: Promise<unknown> | null = null
  private pendingSorts: number[] | null = null
  private start = 0
  private end = 0
  private openPromise: Promise<void> | null = null
  opened = false
  private extMissing = 0
  private misses = 0
  private extHead = 0
  private extCheckpoint = false
  private readonly flags: number

  constructor(host: IteratorHost, prefix: string, opts: IteratorOptions = {}) {
    let { recursive, reverse, gt, hidden } = opts
    if (opts.flags) {
      recursive = (opts.flags & 1) !== 0
      reverse = (opts.flags & 2) !== 0
      gt = (opts.flags & 4) !== 0
      hidden = (opts.flags & 8) !== 0
    }
    this.host = host
    this.prefix = prefix.length && prefix[0] === '/' ? prefix.slice(1) : prefix
    this.recursive = recursive !== false
    this.order = reverse ? REVERSE_ORDER : ORDER
    this.random = !!opts.random
    this.gt = !!gt
    this.hidden = !!hidden
    this.checkpointBuf = opts.checkpoint ?? null
    this.onseq = opts.onseq ?? null
    this.flags =
      (this.recursive ? 1 : 0) | (reverse ? 2 : 0) | (this.gt ? 4 : 0) | (this.hidden ? 8 : 0)
    this.readOpts = { wait: opts.wait, timeout: opts.timeout, onwait: null }
    if (opts.extension !== false && host.requestIterator)
      this.readOpts.onwait = () => this.sendExtension()
  }

  private sendExtension(): void {
    if (this.extMissing > 0 || !this.extHead || !this.host.requestIterator) return
    this.extMissing = ITERATOR_BATCH_SIZE
    this.host.requestIterator(
      this.extHead,
      this.prefix,
      this.flags,
      this.extCheckpoint ? this.checkpoint() : null,
    )
  }

  private open(): Promise<void> {
    if (this.openPromise === null) this.openPromise = this.doOpen()
    return this.openPromise
  }

  private async doOpen(): Promise<void> {
    const headSeq = await this.host.headSeq(this.readOpts)
    if (!this.extHead) this.extHead = headSeq
    const target = lookupTarget(this.host.src, this.prefix, this.hidden)
    const lookupOpts: LookupOptions = {
      prefix: true,
      wait: this.readOpts.wait,
      timeout: this.readOpts.timeout,
      onwait: this.readOpts.onwait,
      onseq: this.onseq,
    }
    const node = await lookup(this.host.src, headSeq, target, lookupOpts)
    this.start = lookupLength(target, true)
    this.end = this.recursive ? Number.POSITIVE_INFINITY : this.start + 32
    if (node !== null && !this.checkpointBuf)
      this.stack.push({ i: this.start, seq: node.seq, node, off: -1, next: 0 })
    this.extCheckpoint = true
    if (this.checkpointBuf) {
      // Read whole before any node is: a bad checkpoint (say, a peer's) must throw before
      // reads start, or their failures go unobserved (and end the process as unhandled).
      const loads: Promise<void>[] = []
      for (const [i, seq] of readCheckpoint(this.checkpointBuf)) this.push(i, seq, loads)
      await Promise.all(loads)
    }
    this.opened = true
  }

  /** Serialises the pending stack as varint(i) varint(seq) pairs, bottom first. */
  checkpoint(): Buffer {
    const parts: number[] = []
    for (const s of this.stack) {
      encodeVarint(s.i, parts, parts.length)
      encodeVarint(s.seq, parts, parts.length)
    }
    return Buffer.from(parts)
  }

  private push(i: number, seq: number, loads: Promise<void>[]): void {
    const entry: StackEntry = { i, seq, node: null, off: -1, next: 0 }
    this.stack.push(entry)
    if (this.onseq) this.onseq(seq)
    if (this.extMissing > 0) this.extMissing--
    const r = this.host.src.read(seq, this.readOpts)
    if (r instanceof Promise) {
      this.misses++
      if (this.misses >= READ_AHEAD_AFTER) this.readOpts.readAhead = readAheadWindow(this.misses)
      loads.push(
        r.then((n: MaybeNode) => {
          entry.node = n
        }),
      )
    } else {
      entry.node = r
    }
  }

  /** The next node, or null at the end. */
  async next(): Promise<TrieNode | null> {
    if (!this.opened) await this.open()
    for (;;) {
      if (this.pending !== null) {
        await this.pending
        this.pending = null
        this.sortPending()
      }
      const n = this.nextSync()
      if (n !== undefined) return n
    }
  }

  /**
   * The next node if it can be had from cached nodes: a node, null at the end, or undefined
   * when the iterator is not open yet or waits for reads (then `next()` goes on).
   */
  nextSync(): TrieNode | null | undefined {
    if (!this.opened || this.pending !== null) return undefined
    const stack = this.stack
    const cursor = this.cursor
    const slots = cursor.slots
    while (stack.length) {
      const top = stack[stack.length - 1]
      const node = top.node
      if (node === null) {
        stack.pop() // a pointer at a reset node: nothing lives there
        continue
      }
      const len = Math.min(node.length, this.end)
      const i = top.i
      if (i >= len) {
        stack.pop()
        return node
      }

      if (top.off < 0) cursor.open(node.table)
      else cursor.restore(node.table, top.off, top.next)
      const hasBucket = cursor.seek(i)
      top.off = cursor.off
      top.next = cursor.pos
      if (!hasBucket) {
        // nothing branches off here: the node goes on alone, straight to its next bucket or
        // its end (the original steps there one position at a time, pushing only the node)
        if (this.gt && i === this.start && node.digit(i) === 4) stack.pop()
        else top.i = Math.min(cursor.pos, len)
        continue
      }

      stack.pop()
      top.i = i + 1
      const size = cursor.size
      const order = this.random ? randomOrder() : this.order
      let loads: Promise<void>[] | null = null
      let needsSort: number[] | null = null
      for (let k = 0; k < order.length; k++) {
        let val = order[k]
        if (val === 4 && this.gt && i === this.start) continue
        const before = stack.length
        if (node.digit(i) === val) stack.push(top)
        for (; val < size; val += 5) {
          const s = slots[val]
          if (s) {
            if (loads === null) loads = []
            this.push(i + 1, s, loads)
          }
        }
        if (stack.length - before > 1) {
          if (needsSort === null) needsSort = []
          needsSort.push(before, stack.length)
        }
      }
      if (loads?.length) {
        this.pending = Promise.all(loads)
        this.pendingSorts = needsSort
        return undefined
      }
      if (needsSort !== null) {
        this.pendingSorts = needsSort
        this.sortPending()
      }
    }
    return null
  }

  // colliding siblings pushed by the last step go in key order once their nodes are loaded
  private sortPending(): void {
    const sorts = this.pendingSorts
    if (sorts === null) return
    this.pendingSorts = null
    while (sorts.length) {
      const to = sorts.pop()!
      const from = sorts.pop()!
      sortByKeyDescending(this.stack, from, to)
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<TrieNode> {
    while (true) {
      const n = await this.next()
      if (n === null) return
      yield n
    }
  }
}

// Only runs on the few colliding siblings of one digit, so insertion sort; the stack pops from
// the end, so descending order here yields ascending keys.
function sortByKeyDescending(list: StackEntry[], from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    for (let j = i; j > from; j--) {
      const a = list[j]
      const b = list[j - 1]
      if ((a.node?.key ?? '') <= (b.node?.key ?? '')) break
      list[j] = b
      list[j - 1] = a
    }
  }
}

function randomOrder(): number[] {
  const order = [0, 1, 2, 3, 4]
  for (let i = 0; i < order.length - 1; i++) {
    const n = i + Math.floor(Math.random() * (order.length - i))
    const tmp = order[i]
    order[i] = order[n]
    order[n] = tmp
  }
  return order
}

/** The (i, seq) pairs of a checkpoint; throws a DecodeError when it is malformed. */
function readCheckpoint(buf: Uint8Array): [number, number][] {
  const r = new ProtoReader(buf)
  const pairs: [number, number][] = []
  while (!r.done) {
    const i = r.varint()
    const seq = r.varint()
    if (seq < 1) throw new DecodeError('iterator checkpoint names seq 0')
    pairs.push([i, seq])
  }
  return pairs
}
