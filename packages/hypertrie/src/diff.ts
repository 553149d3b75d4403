// Diff of two versions (hypertrie@5's lib/diff.js): walk both bucket tables in lock-step from the
// prefix nodes, skip subtrees whose pointers are equal, re-pair colliding entries at component ends.
import { encodeVarint } from './commonjs.js'
import { type LookupOptions, lookup, lookupLength, lookupTarget } from './get.js'
import { ProtoReader } from './messages/protobuf.js'
import type { NodeSource } from './node-source.js'
import { isComponentEnd } from './path-hash.js'
import type { BucketTable } from './trie-buffer.js'
import type { TrieNode } from './trie-node.js'

export interface DiffOptions {
  hidden?: boolean
  skipLeftNull?: boolean
  skipRightNull?: boolean
  /** Resume from `diff.checkpoint()`. */
  checkpoint?: Uint8Array | null
  /** Only visit blocks the local feed has (prefetching after an append, as alwaysReconnect). */
  reconnect?: boolean
  onnode?: ((node: TrieNode) => void) | null
}

export interface DiffSide {
  src: NodeSource
  headSeq(): Promise<number>
}

export interface RawDiff {
  key: string
  left: TrieNode | null
  right: TrieNode | null
}

interface Entry {
  i: number
  left: TrieNode | null
  right: TrieNode | null
  skip: boolean
}

function seqOf(n: TrieNode | null): number {
  return n ? n.seq : 0
}
function doneAt(n: TrieNode | null, i: number): boolean {
  return n !== null && i >= n.length
}
// the lock-step walk decodes each node's table once per diff (cached nodes keep only the
// stored form, so the decoded tables live as long as the diff)
type DecodedTables = WeakMap<TrieNode, BucketTable>
function bucketOf(tables: DecodedTables, n: TrieNode | null, i: number): number[] {
  if (n === null) return []
  let table = tables.get(n)
  if (table === undefined) {
    table = n.tableView()
    tables.set(n, table)
  }
  return table[i] || []
}
function notInBucket(val: number, seq: number, bucket: number[]): boolean {
  for (; val < bucket.length; val += 5) if (bucket[val] === seq) return false
  return true
}
function collides(e: Entry): boolean {
  if (!e.left || !e.right || !isComponentEnd(e.i)) return false
  return e.left.collides(e.right, e.i)
}

export class NodeDiff {
  private readonly left: DiffSide
  private readonly right: DiffSide
  private readonly prefix: string
  private readonly hidden: boolean
  private skipLeftNull: boolean
  private skipRightNull: boolean
  private readonly reconnect: boolean
  private readonly checkpointBuf: Uint8Array | null
  private readonly onnode: ((node: TrieNode) => void) | null
  private stack: Entry[] = []
  private readonly tables: DecodedTables = new WeakMap()
  private opened: Promise<void> | null = null
  private loads: Promise<void>[] = []

  constructor(left: DiffSide, right: DiffSide, prefix: string, opts: DiffOptions = {}) {
    this.left = left
    this.right = right
    this.prefix = prefix
    this.hidden = !!opts.hidden
    this.skipLeftNull = !!opts.skipLeftNull
    this.skipRightNull = !!opts.skipRightNull
    this.reconnect = !!opts.reconnect
    if (this.reconnect) this.skipRightNull = true
    this.checkpointBuf = opts.checkpoint ?? null
    this.onnode = opts.onnode ?? null
  }

  private async open(): Promise<void> {
    const src = this.left.src
    if (this.checkpointBuf) {
      const r = new ProtoReader(this.checkpointBuf)
      while (!r.done) {
        const i = r.varint()
        const l = r.varint()
        const rr = r.varint()
        const left = await src.load(l)
        const right = await src.load(rr)
        this.stack.push({ i, left, right, skip: false })
      }
      return
    }
    const target = lookupTarget(src, this.prefix, this.hidden)
    const opts: LookupOptions = { prefix: true }
    const a = await lookup(src, await this.left.headSeq(), target, opts)
    const b = await lookup(this.right.src, await this.right.headSeq(), target, opts)
    this.stack.push({ i: lookupLength(target, true), left: a, right: b, skip: false })
  }

  /** Serialises the pending stack as varint triples (i, leftSeq, rightSeq). */
  checkpoint(): Buffer {
    const parts: number[] = []
    for (const s of this.stack) {
      if (s.skip) continue
      encodeVarint(s.i, parts, parts.length)
      encodeVarint(seqOf(s.left), parts, parts.length)
      encodeVarint(seqOf(s.right), parts, parts.length)
    }
    return Buffer.from(parts)
  }

  private pushStack(len: number, i: number): Entry {
    if (this.stack.length === len) this.stack.push({ i, left: null, right: null, skip: false })
    return this.stack[len]
  }

  private getNode(seq: number, entry: Entry, left: boolean): void {
    const r = (left ? this.left.src : this.right.src).read(seq)
    const set = (n: TrieNode | null) => {
      if (n === null) return
      if (this.onnode) this.onnode(n)
      if (left) entry.left = n
      else entry.right = n
    }
    if (r instanceof Promise) this.loads.push(r.then(set))
    else set(r)
  }

  private async has(seq: number): Promise<boolean> {
    const feed = this.left.src.feed
    if (!feed.has) return true
    const h = feed.has(seq)
    return typeof h === 'boolean' ? h : await h
  }

  private async hasSeqInBucket(bucket: number[], val: number): Promise<boolean> {
    for (; val < bucket.length; val += 5)
      if (bucket[val] && (await this.has(bucket[val]))) return true
    return false
  }

  async next(): Promise<RawDiff | null> {
    if (this.opened === null) this.opened = this.open()
    await this.opened
    const stack = this.stack

    while (stack.length) {
      const { i, left, right, skip } = stack.pop()!
      if (skip || seqOf(left) === seqOf(right)) continue

      const doneLeft = doneAt(left, i)
      const doneRight = doneAt(right, i)
      if (doneLeft && doneRight) return { key: left!.key, left, right }
      if (!right && left && this.skipRightNull) continue
      if (right && !left && this.skipLeftNull) continue

      const leftVal = left ? left.digit(i) : 5
      const rightVal = right ? right.digit(i) : 6
      const leftBucket = bucketOf(this.tables, left, i)
      const rightBucket = bucketOf(this.tables, right, i)
      const needsCheck: number[] = []

      for (let j = 0; j < 5; j++) {
        const leftSeq = leftVal === j ? left!.seq : 0
        const rightSeq = rightVal === j ? right!.seq : 0
        const len = stack.length
        let leftLen = stack.length
        let rightLen = stack.length

        if (leftSeq !== rightSeq) {
          if (!doneLeft && leftSeq && notInBucket(j, leftSeq, rightBucket)) {
            this.pushStack(leftLen++, i + 1).left = left
          }
          if (!doneRight && rightSeq && notInBucket(j, rightSeq, leftBucket)) {
            this.pushStack(rightLen++, i + 1).right = right
          }
        }

        if (!doneLeft) {
          const pushLeft =
            !this.skipRightNull ||
            (!!rightBucket[j] && (!this.reconnect || (await this.hasSeqInBucket(rightBucket, j))))
          for (let val = j; val < leftBucket.length; val += 5) {
            const s = leftBucket[val]
            if (!s) break
            if (s !== rightSeq && notInBucket(j, s, rightBucket)) {
              const top = this.pushStack(leftLen++, i + 1)
              if (pushLeft || top.right) this.getNode(s, top, true)
              else top.skip = true
            }
          }
        }

        if (!doneRight) {
          const pushRight = !this.skipLeftNull || !!leftBucket[j]
          for (let val = j; val < rightBucket.length; val += 5) {
            const s = rightBucket[val]
            if (!s) break
            if (
              s !== leftSeq &&
              notInBucket(j, s, leftBucket) &&
              (!this.reconnect || (await this.has(s)))
            ) {
              const top = this.pushStack(rightLen++, i + 1)
              if (pushRight || top.left) this.getNode(s, top, false)
              else top.skip = true
            }
          }
        }

        if (isComponentEnd(i) && stack.length > len) {
          if (!this.loads.length) this.maybeCollides(len, stack.length)
          else needsCheck.push(len, stack.length)
        }
      }

      if (this.loads.length) {
        const loads = this.loads
        this.loads = []
        await Promise.all(loads)
      }
      while (needsCheck.length) {
        const end = needsCheck.pop()!
        const start = needsCheck.pop()!
        this.maybeCollides(start, end)
      }

      if (doneLeft) return { key: left!.key, left, right: null }
      if (doneRight) return { key: right!.key, left: null, right }
    }
    return null
  }

  // All entries start..end share the same digits; pair left and right by component string.
  private maybeCollides(start: number, end: number): void {
    const stack = this.stack
    if (end - start === 1) {
      const top = stack[start]
      if (collides(top)) {
        stack.push({ i: top.i, left: null, right: top.right, skip: top.skip })
        top.right = null
      }
      return
    }
    // The original compares with `collides(right)` and no position, which is always false, so it
    // swaps with the first other entry that has a left node; it can spin forever when that entry is
    // the one being fixed. We skip the entry itself and bound the passes.
    let budget = (end - start + 1) * (end - start + 1)
    for (let i = start; i < end; i++) {
      const top = stack[i]
      if (collides(top) || !top.left) {
        const right = top.right
        for (let j = start; j < end && budget > 0; j++) {
          const other = stack[j]
          if (other !== top && other.left) {
            budget--
            top.right = other.right
            other.right = right
            i--
            break
          }
        }
        if (top.right === right && top.left) {
          stack.push({ i: top.i, left: null, right, skip: top.skip })
          top.right = null
        }
      }
    }
  }
}
