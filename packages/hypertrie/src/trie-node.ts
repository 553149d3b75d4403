// One decoded trie node (a block ≥ 1): its key, path hash, bucket table and flags, plus the
// encoding back into the Node protobuf. Mirrors hypertrie@5's lib/node.js.
import { decodeNodeMessage, encodeNodeMessage } from './messages/node-message.js'
import { hashComponents, normalizeKey, pathLength, splitKey } from './path-hash.js'
import {
  type BucketTable,
  checkTrieBuffer,
  decodeTrieBuffer,
  encodeTrieBuffer,
} from './trie-buffer.js'

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
  readonly hidden: boolean
  readonly storedFlags: number
  valueBuffer: Buffer | null
  private table: BucketTable | null
  // the stored table, decoded on first use: most loaded nodes (leaves a get ends on) never need it
  private storedTrie: Uint8Array | null = null
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
    this.valueBuffer = valueBuffer
    this.storedFlags = storedFlags
    this.seq = seq
    this.table = trie
  }

  get trie(): BucketTable {
    if (this.table === null) {
      this.table = this.storedTrie === null ? [] : decodeTrieBuffer(this.storedTrie, this.length)
      this.storedTrie = null
    }
    return this.table
  }

  set trie(t: BucketTable) {
    this.table = t
    this.storedTrie = null
  }

  /**
   * The seq in slot `v` of bucket `i` (0 when empty). Reads the stored table in place when it
   * was never decoded, so point lookups keep cached nodes compact.
   */
  slot(i: number, v: number): number {
    const table = this.table
    if (table !== null) {
      const b = table[i]
      return b === undefined ? 0 : (b[v] ?? 0)
    }
    const buf = this.storedTrie
    return buf === null ? 0 : storedSlot(buf, i, v)
  }

  /** The table, decoded without keeping it when the node holds only the stored form. */
  tableView(): BucketTable {
    if (this.table !== null) return this.table
    return this.storedTrie === null ? [] : decodeTrieBuffer(this.storedTrie, this.length)
  }

  /** Keeps only the encoded table (once appended): cached nodes stay small. */
  compact(): void {
    if (this.encodedTrie === null || this.encodedTrie.length === 0) return
    this.storedTrie = this.encodedTrie
    this.table = null
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
    if (i === 0) return this.hidden ? 1 : 0
    const j = (i - 1) >> 2
    if (j >= this.hash.length) return 4
    return (this.hash[j] >> (2 * ((i - 1) & 3))) & 3
  }

  /** True when `other` has a different component string at component end `i`. */
  collides(other: TrieNode, i: number): boolean {
    if (!i) return false
    if (i === this.length - 1) return this.key !== other.key
    const j = (i - 1) >> 5
    return this.components[j] !== other.components[j]
  }

  encode(): Buffer {
    if (this.encodedTrie === null) this.encodedTrie = encodeTrieBuffer(this.tableView())
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

  /** Decodes block `seq`, checking its bucket table up front (see checkTrieBuffer). */
  static decode(buf: Uint8Array, seq: number, userHash: KeyHash | null): TrieNode {
    const m = decodeNodeMessage(buf)
    const node = new TrieNode(m.key, m.valueBuffer, m.flags, seq, [], userHash)
    if (m.trieBuffer !== null && m.trieBuffer.length > 0) {
      checkTrieBuffer(m.trieBuffer, node.length, seq)
      node.table = null
      node.storedTrie = m.trieBuffer
    }
    return node
  }
}

// varint reader over a table already checked by checkTrieBuffer (or written by us)
let at = 0
function readVarint(buf: Uint8Array): number {
  let n = 0
  let mul = 1
  let b: number
  do {
    b = buf[at++]
    n += (b & 127) * mul
    mul *= 128
  } while (b & 128)
  return n
}

function storedSlot(buf: Uint8Array, i: number, v: number): number {
  at = 0
  readVarint(buf) // table length
  while (at < buf.length) {
    const pos = readVarint(buf)
    let bits = readVarint(buf)
    if (pos !== i) {
      for (; bits; bits >>>= 1) if (bits & 1) readVarint(buf)
      continue
    }
    for (let k = 0; bits; bits >>>= 1, k++) {
      if (!(bits & 1)) {
        if (k === v) return 0
        continue
      }
      const seq = readVarint(buf)
      if (k === v) return seq
    }
    return 0
  }
  return 0
}
