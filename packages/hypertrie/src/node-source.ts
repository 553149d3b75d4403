// Reads nodes by seq through the shared decoded-node cache. `peek` answers synchronously from the
// cache so hot loops only await on a miss. Iterators over a local feed read whole windows of
// blocks at once (one storage read for many nodes) when the feed can read ranges.
import { DecodeError } from './errors.js'
import type { BlockSpan, TrieFeed, TrieFeedGetOptions } from './feed.js'
import { splitNodeBlocks } from './messages/node-message.js'
import type { NodeCache } from './node-cache.js'
import { type KeyHash, TrieNode } from './trie-node.js'

export interface ReadOptions extends TrieFeedGetOptions {
  /**
   * Called before a read that has to wait for a block the feed lacks. A returned promise is
   * awaited first (a peer's lookup answer bringing the block), then the read goes on.
   */
  onwait?: ((seq: number) => Promise<void> | null | undefined | void) | null
  /**
   * On a miss, read the aligned window of this many blocks around it and cache all their nodes
   * (iterators visit most of a window soon after; 0 or unset reads one block).
   */
  readAhead?: number
}

interface WindowRead {
  start: number
  end: number
  done: Promise<void>
}

/** A loaded node, or null for "no node" (seq 0 or the reset node). */
export type MaybeNode = TrieNode | null
export type NodeLoader = (seq: number) => MaybeNode | Promise<MaybeNode>

// getCachedSpan's answer, read at once after each call
const SPAN: BlockSpan = { start: 0, end: 0 }

export class NodeSource {
  readonly feed: TrieFeed
  readonly cache: NodeCache
  readonly hash: KeyHash | null

  private windows: WindowRead[] = []

  constructor(feed: TrieFeed, cache: NodeCache, hash: KeyHash | null) {
    this.feed = feed
    this.cache = cache
    this.hash = hash
  }

  /**
   * Reads the window of `size` blocks holding `seq` in one range read and caches its nodes;
   * false when the feed cannot (no range reads, a sparse feed, a layout the splitter refuses),
   * and the caller reads `seq` alone.
   */
  private async readWindow(seq: number, size: number): Promise<boolean> {
    const feed = this.feed
    if (!feed.getRange || feed.sparse || seq < 1) return false
    for (const w of this.windows) {
      if (seq >= w.start && seq < w.end) {
        await w.done
        return this.cache.get(seq) !== undefined
      }
    }
    const start = Math.max(1, seq - (seq % size))
    const end = Math.min(feed.length, seq - (seq % size) + size)
    if (end - start < 2) return false
    let ok = false
    const done = feed.getRange(start, end).then(
      (bytes) => {
        const blocks = splitNodeBlocks(bytes, start, end - start)
        if (blocks === null) return
        for (let k = 0; k < blocks.length; k++) {
          const s = start + k
          if (this.cache.get(s) !== undefined) continue
          try {
            this.cache.set(s, TrieNode.decode(blocks[k], s, this.hash))
          } catch {
            // a block that does not decode is left for its own read to report
          }
        }
        ok = true
      },
      () => {},
    )
    const w: WindowRead = { start, end, done }
    this.windows.push(w)
    try {
      await done
    } finally {
      this.windows.splice(this.windows.indexOf(w), 1)
    }
    return ok && this.cache.get(seq) !== undefined
  }

  /**
   * Caches the node in block `seq`'s bytes, as the feed just stored them; bytes that are not
   * binary or do not decode are left for a read of the block to report.
   */
  store(seq: number, data: unknown): void {
    if (!(data instanceof Uint8Array) || this.cache.get(seq) !== undefined) return
    let node: TrieNode
    try {
      node = TrieNode.decode(data, seq, this.hash)
    } catch {
      return // reported by the read that needs it
    }
    // a block straight off the wire is a view of a larger chunk: of the node only the value is a
    // view into it (key, path and table are strings), and a copy of the value alone keeps the
    // chunk from staying alive with the cached node
    const value = node.valueBuffer
    if (value !== null && value.byteLength !== value.buffer.byteLength) {
      node.valueBuffer = Buffer.from(value)
    }
    this.cache.set(seq, node)
  }

  /** undefined = not cached; null = cached reset node or seq 0. */
  peek(seq: number): MaybeNode | undefined {
    if (seq < 1) return null
    const hit = this.cache.get(seq)
    if (hit === undefined) return undefined
    return hit.isReset ? null : hit
  }

  /**
   * Like peek, but never undefined: a miss the feed can answer from memory (getCached) is decoded
   * at once; any other miss comes back as a promise.
   */
  read(seq: number, opts?: ReadOptions): MaybeNode | Promise<MaybeNode> {
    const hit = this.peek(seq)
    if (hit !== undefined) return hit
    const feed = this.feed
    let now: Uint8Array | null = null
    let start = 0
    let end = 0
    if (seq > 0 && feed.getCachedSpan) {
      now = feed.getCachedSpan(seq, SPAN)
      start = SPAN.start
      end = SPAN.end
    } else if (seq > 0 && feed.getCached) {
      now = feed.getCached(seq)
      if (now) end = now.length
    }
    if (now) {
      let node: TrieNode
      try {
        node = TrieNode.decodeAt(now, start, end, seq, this.hash)
      } catch {
        return this.load(seq, opts) // the read reports it
      }
      // Cached only while the cache has room: the feed holds the block in memory (decoding it
      // again is cheap while it does), and a listing's 100k nodes would otherwise push the
      // trie's upper levels out of the cache, and churn it, for nothing.
      if (!this.cache.full) this.cache.set(seq, node)
      return node.isReset ? null : node
    }
    return this.load(seq, opts)
  }

  /** The raw node, reset nodes included (batches and deletes need them). */
  async loadRaw(seq: number, opts?: ReadOptions): Promise<TrieNode> {
    const hit = this.cache.get(seq)
    if (hit !== undefined) return hit
    if (opts?.readAhead && (await this.readWindow(seq, opts.readAhead))) {
      const read = this.cache.get(seq)
      if (read !== undefined) return read
    }
    if (opts?.onwait && this.feed.has && !this.feed.writable) {
      let has = this.feed.has(seq)
      if (typeof has !== 'boolean') has = await has
      if (!has) {
        const answer = opts.onwait(seq)
        if (answer) {
          await answer
          // the block may have come with the answer and been decoded as it landed
          const arrived = this.cache.get(seq)
          if (arrived !== undefined) return arrived
        }
      }
    }
    const getOpts: TrieFeedGetOptions = { valueEncoding: 'binary' }
    if (opts?.wait !== undefined) getOpts.wait = opts.wait
    if (opts?.timeout !== undefined) getOpts.timeout = opts.timeout
    const buf = await this.feed.get(seq, getOpts)
    if (!(buf instanceof Uint8Array)) throw new DecodeError(`block ${seq} is not binary`)
    const node = TrieNode.decode(buf, seq, this.hash)
    this.cache.set(seq, node)
    return node
  }

  async load(seq: number, opts?: ReadOptions): Promise<MaybeNode> {
    if (seq < 1) return null
    const node = await this.loadRaw(seq, opts)
    return node.isReset ? null : node
  }
}
