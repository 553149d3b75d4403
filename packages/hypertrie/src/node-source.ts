// Reads nodes by seq through the shared decoded-node cache. `peek` answers synchronously from the
// cache so hot loops only await on a miss.
import { DecodeError } from './errors.js'
import type { TrieFeed, TrieFeedGetOptions } from './feed.js'
import type { NodeCache } from './node-cache.js'
import { type KeyHash, TrieNode } from './trie-node.js'

export interface ReadOptions extends TrieFeedGetOptions {
  /**
   * Called before a read that has to wait for a block the feed lacks. A returned promise is
   * awaited first (a peer's lookup answer bringing the block), then the read goes on.
   */
  onwait?: ((seq: number) => Promise<void> | null | undefined | void) | null
}

/** A loaded node, or null for "no node" (seq 0 or the reset node). */
export type MaybeNode = TrieNode | null
export type NodeLoader = (seq: number) => MaybeNode | Promise<MaybeNode>

export class NodeSource {
  readonly feed: TrieFeed
  readonly cache: NodeCache
  readonly hash: KeyHash | null

  constructor(feed: TrieFeed, cache: NodeCache, hash: KeyHash | null) {
    this.feed = feed
    this.cache = cache
    this.hash = hash
  }

  /** undefined = not cached; null = cached reset node or seq 0. */
  peek(seq: number): MaybeNode | undefined {
    if (seq < 1) return null
    const hit = this.cache.get(seq)
    if (hit === undefined) return undefined
    return hit.isReset ? null : hit
  }

  /** Like peek, but never undefined: a miss comes back as a promise. */
  read(seq: number, opts?: ReadOptions): MaybeNode | Promise<MaybeNode> {
    const hit = this.peek(seq)
    return hit === undefined ? this.load(seq, opts) : hit
  }

  /** The raw node, reset nodes included (batches and deletes need them). */
  async loadRaw(seq: number, opts?: ReadOptions): Promise<TrieNode> {
    const hit = this.cache.get(seq)
    if (hit !== undefined) return hit
    if (opts?.onwait && this.feed.has && !this.feed.writable) {
      let has = this.feed.has(seq)
      if (typeof has !== 'boolean') has = await has
      if (!has) {
        const answer = opts.onwait(seq)
        if (answer) await answer
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
