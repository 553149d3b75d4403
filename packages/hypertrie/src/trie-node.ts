// One decoded trie node (a block ≥ 1): its key, path hash, bucket table and flags, plus the
// encoding back into the Node protobuf. Mirrors hypertrie@5's lib/node.js.
import { CorruptNodeError } from './errors.js'
import { decodeNodeMessage, encodeNodeMessage } from './messages/node-message.js'
import { hashComponents, normalizeKey, pathDigitArray, pathLength, splitKey } from './path-hash.js'
import { type BucketTable, decodeTrieBuffer, encodeTrieBuffer } from './trie-buffer.js'

/** Bit 0 of the stored flags; user flags live in bits 8 and up. */
export const HIDDEN_FLAG = 1

/** A user-supplied whole-key hash (hypertrie@5's `opts.hash`, for tests). */
export type KeyHash = (key: string) => Uint8Array

export class TrieNode {
  seq: number
  readonly key: string
  readonly components: string[]
  readonly hash: Uint8Array
  /** Path length in digits. */
  readonly length: number
  /** The path, one digit (0-4) per position, computed once: lookups compare these in tight loops. */
  readonly digits: Uint8Array
  readonly hidden: boolean
  readonly storedFlags: number
  valueBuffer: Buffer | null
  trie: BucketTable
  private encodedTrie: Buffer | null = null

  constructor(
    key: string,
    valueBuffer: Buffer | null,
    storedFlags: number,
    seq: number,
    trie: BucketTable,
    userHash: KeyHash | null,
  ) {
    this.key = normalizeKey(key)
    this.components = splitKey(this.key)
    this.hash = userHash ? userHash(this.key) : hashComponents(this.components)
    this.length = pathLength(this.hash)
    this.hidden = (storedFlags & HIDDEN_FLAG) !== 0
    this.digits = pathDigitArray(this.hash, this.hidden)
    this.valueBuffer = valueBuffer
    this.storedFlags = storedFlags
    this.seq = seq
    this.trie = trie
  }

  /** User flags: the stored flags shifted past the internal byte. */
  get userFlags(): number {
    return Math.floor(this.storedFlags / 256)
  }

  /** The reset node (key "", no value) stands for "the trie is empty". */
  get isReset(): boolean {
    return this.key === '' && this.valueBuffer === null
  }

  /** Digit i; past the end of the path it is the terminator, as the original's path(). */
  digit(i: number): number {
    return i < this.length ? this.digits[i] : 4
  }

  /** True when `other` has a different component string at component end `i`. */
  collides(other: TrieNode, i: number): boolean {
    if (!i) return false
    if (i === this.length - 1) return this.key !== other.key
    const j = (i - 1) >> 5
    return this.components[j] !== other.components[j]
  }

  encode(): Buffer {
    if (this.encodedTrie === null) this.encodedTrie = encodeTrieBuffer(this.trie)
    return encodeNodeMessage({
      key: this.key,
      valueBuffer: this.valueBuffer,
      trieBuffer: this.encodedTrie,
      seq: this.seq,
      flags: this.storedFlags,
    })
  }

  /** Freezes the table (used by batches so later ops see the encoded form). */
  seal(): void {
    this.encodedTrie = encodeTrieBuffer(this.trie)
  }

  /**
   * Decodes block `seq`. Every pointer must name an older block: nodes only ever point backwards
   * in the log, so anything else (itself, a newer block, past the feed end) is corruption, and
   * refusing it rules out cycles and waits on blocks that will never exist.
   */
  static decode(buf: Uint8Array, seq: number, userHash: KeyHash | null): TrieNode {
    const m = decodeNodeMessage(buf)
    const node = new TrieNode(m.key, m.valueBuffer, m.flags, seq, [], userHash)
    if (m.trieBuffer !== null && m.trieBuffer.length > 0) {
      const table = decodeTrieBuffer(m.trieBuffer, node.length)
      for (let i = 0; i < table.length; i++) {
        const bucket = table[i]
        if (!bucket) continue
        for (let j = 0; j < bucket.length; j++) {
          const s = bucket[j]
          if (s && s >= seq) {
            throw new CorruptNodeError(seq, `bucket ${i} points at block ${s}, not an older block`)
          }
        }
      }
      node.trie = table
    }
    return node
  }
}
