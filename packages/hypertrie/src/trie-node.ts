// One decoded trie node (a block ≥ 1): its key, path hash, bucket table and flags, plus the
// encoding back into the Node protobuf. Mirrors hypertrie@5's lib/node.js.
import { NodeFieldSpans, encodeNodeBlock } from './messages/node-message.js'
import { hashKey, hashKeyBytes, normalizeKey, sameComponent } from './path-hash.js'
import {
  EMPTY_TABLE,
  type StoredTable,
  storedSlot,
  tableFromBytes,
  tableToBytes,
} from './table-cursor.js'
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

// hypertrie@5 encodes an empty table as varint(0)
const ZERO_LENGTH_TABLE = '\u0000'

export class TrieNode {
  seq: number
  readonly key: string
  /**
   * The path hash as a latin1 string (one char per byte): digits are read from inside the
   * string object, one memory load per node on a walk (see table-cursor.ts).
   */
  readonly path: string
  /** Path length in digits: 1 hidden digit, 4 per hash byte, 1 terminator. */
  readonly length: number
  readonly hidden: boolean
  /** The reset node (key "", no value) stands for "the trie is empty". */
  readonly isReset: boolean
  readonly storedFlags: number
  private value: Buffer | null
  /**
   * The block a decoded node's value still lies in, or null once `value` holds it: listings
   * decode many nodes whose values nobody reads, so the value's view is made on first use.
   */
  private valueSource: Uint8Array | null = null
  private valueStart = 0
  private valueEnd = 0
  /**
   * The bucket table in its stored form (trie-buffer.ts), read in place with a TableCursor;
   * nodes never hold it decoded, so cached nodes stay small.
   */
  table: StoredTable

  constructor(
    key: string,
    valueBuffer: Buffer | null,
    storedFlags: number,
    seq: number,
    trie: BucketTable | StoredTable,
    userHash: KeyHash | null,
    /** The key's path hash when the caller has it (hashed from the block's bytes). */
    path: string | null = null,
    hasValue = valueBuffer !== null,
  ) {
    this.key = normalizeKey(key)
    this.path =
      path !== null ? path : userHash ? tableFromBytes(userHash(this.key)) : hashKey(this.key)
    this.length = this.path.length * 4 + 2
    this.hidden = (storedFlags & HIDDEN_FLAG) !== 0
    this.isReset = this.key === '' && !hasValue
    this.value = valueBuffer
    this.storedFlags = storedFlags
    this.seq = seq
    if (typeof trie === 'string') this.table = trie
    else this.table = trie.length ? tableFromBytes(encodeTrieBuffer(trie)) : EMPTY_TABLE
  }

  get valueBuffer(): Buffer | null {
    const source = this.valueSource
    if (source !== null) {
      this.value = Buffer.from(
        source.buffer,
        source.byteOffset + this.valueStart,
        this.valueEnd - this.valueStart,
      )
      this.valueSource = null
    }
    return this.value
  }

  set valueBuffer(value: Buffer | null) {
    this.value = value
    this.valueSource = null
  }

  /** The path hash bytes (SipHash per component, or the user hash). */
  get hash(): Buffer {
    return Buffer.from(this.path, 'latin1')
  }

  /** The table decoded (a fresh copy: tests and rare paths only). */
  get trie(): BucketTable {
    return this.tableView()
  }

  tableView(): BucketTable {
    return this.table.length === 0 ? [] : decodeTrieBuffer(tableToBytes(this.table), this.length)
  }

  /** The seq in slot `v` of bucket `i` (0 when empty), read from the stored table in place. */
  slot(i: number, v: number): number {
    return storedSlot(this.table, i, v)
  }

  /** User flags: the stored flags shifted past the internal byte. */
  get userFlags(): number {
    return Math.floor(this.storedFlags / 256)
  }

  /** Digit i; past the end of the path it is the terminator, as the original's path(). */
  digit(i: number): number {
    if (i === 0) return this.hidden ? 1 : 0
    if (i >= this.length - 1) return 4
    return (this.path.charCodeAt((i - 1) >> 2) >> (2 * ((i - 1) & 3))) & 3
  }

  /** True when `other` has a different component string at component end `i`. */
  collides(other: TrieNode, i: number): boolean {
    if (!i) return false
    if (i === this.length - 1) return this.key !== other.key
    return !sameComponent(this.key, other.key, (i - 1) >> 5)
  }

  encode(): Buffer {
    const table = this.table.length === 0 ? ZERO_LENGTH_TABLE : this.table
    return encodeNodeBlock(this.key, this.valueBuffer, table, this.seq, this.storedFlags)
  }

  /** Decodes block `seq`, checking its bucket table up front (see checkTrieBuffer). */
  static decode(buf: Uint8Array, seq: number, userHash: KeyHash | null): TrieNode {
    return TrieNode.decodeAt(buf, 0, buf.length, seq, userHash)
  }

  /**
   * Decodes block `seq` from `buf[start, end)` in place: key and table become strings, the value
   * stays in `buf` until read, and the path is hashed from the key's bytes.
   */
  static decodeAt(
    buf: Uint8Array,
    start: number,
    end: number,
    seq: number,
    userHash: KeyHash | null,
  ): TrieNode {
    const f = SPANS
    f.scan(buf, start, end)
    const bytes = Buffer.isBuffer(buf)
      ? buf
      : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength)
    const keyEnd = f.keyEnd
    // normalizeKey drops one leading "/"
    const keyStart = f.keyStart < keyEnd && bytes[f.keyStart] === 47 ? f.keyStart + 1 : f.keyStart
    let ascii = true
    for (let k = keyStart; k < keyEnd; k++) {
      if (bytes[k] > 127) {
        ascii = false
        break
      }
    }
    // an ASCII key reads back as its own bytes, so its path hashes from them in place; any
    // other key hashes from the string's UTF-8, as the original (bad UTF-8 reads back changed).
    // The constructor normalizes the key string itself.
    const key = bytes.toString(ascii ? 'latin1' : 'utf-8', f.keyStart, keyEnd)
    const path = userHash === null && ascii ? hashKeyBytes(bytes, keyStart, keyEnd) : null
    const tableStart = f.tableStart
    const tableEnd = f.tableEnd
    const hasTable = tableEnd > tableStart
    const table = hasTable ? bytes.toString('latin1', tableStart, tableEnd) : EMPTY_TABLE
    const hasValue = f.valueStart !== -1
    const node = new TrieNode(key, null, f.flags, seq, table, userHash, path, hasValue)
    if (hasValue) {
      node.valueSource = buf
      node.valueStart = f.valueStart
      node.valueEnd = f.valueEnd
    }
    if (hasTable) checkTrieBuffer(bytes, node.length, seq, tableStart, tableEnd)
    return node
  }
}

const SPANS = new NodeFieldSpans()
