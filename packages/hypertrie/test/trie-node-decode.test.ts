// TrieNode.decodeAt reads a node in place from a larger buffer (a listing's window) and must
// give the node TrieNode.decode gives from the block alone: key, path, value, table, flags.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DecodeError } from '../src/errors.js'
import { encodeNodeMessage } from '../src/messages/node-message.js'
import { hashKey, normalizeKey } from '../src/path-hash.js'
import { encodeTrieBuffer } from '../src/trie-buffer.js'
import { TrieNode } from '../src/trie-node.js'

const keyArb = fc.oneof(
  fc.string(),
  fc
    .array(fc.constantFrom('/', 'a', 'bc', 'é', '\u{1F600}'), { maxLength: 6 })
    .map((p) => p.join('')),
)
const tableArb = fc.array(
  fc.option(fc.array(fc.integer({ min: 0, max: 99 }), { minLength: 1, maxLength: 6 }), {
    nil: undefined,
  }),
  { maxLength: 20 },
)

function keyBytesNode(keyBytes: Buffer, value: Buffer | null): Buffer {
  // a node whose key field holds raw bytes (possibly not UTF-8), written by hand: tag 1, len
  const rest = encodeNodeMessage({
    key: '',
    valueBuffer: value,
    trieBuffer: null,
    seq: 5,
    flags: 0,
  })
  // drop the empty key field (0x0a 0x00) the encoder wrote first
  return Buffer.concat([Buffer.from([0x0a, keyBytes.length]), keyBytes, rest.subarray(2)])
}

describe('TrieNode.decodeAt', () => {
  it('decodes in place exactly as decode does from the block alone', () => {
    fc.assert(
      fc.property(
        keyArb,
        fc.option(fc.uint8Array({ maxLength: 40 }), { nil: null }),
        tableArb,
        fc.nat(300),
        fc.nat(16),
        (key, value, table, flags, pad) => {
          const block = encodeNodeMessage({
            key,
            valueBuffer: value === null ? null : Buffer.from(value),
            trieBuffer: table.length ? encodeTrieBuffer(table) : Buffer.alloc(0),
            seq: 100,
            flags,
          })
          const window = Buffer.concat([Buffer.alloc(pad, 7), block, Buffer.alloc(3, 9)])
          let alone: TrieNode
          try {
            alone = TrieNode.decode(Buffer.from(block), 100, null)
          } catch (err) {
            // a table longer than this key's path: both refuse it
            expect(err).toBeInstanceOf(DecodeError)
            expect(() => TrieNode.decodeAt(window, pad, pad + block.length, 100, null)).toThrow(
              DecodeError,
            )
            return
          }
          const inPlace = TrieNode.decodeAt(window, pad, pad + block.length, 100, null)
          expect(inPlace.key).toBe(alone.key)
          expect(inPlace.key).toBe(normalizeKey(key))
          expect(inPlace.path).toBe(hashKey(normalizeKey(key)))
          expect(inPlace.valueBuffer).toEqual(value === null ? null : Buffer.from(value))
          expect(inPlace.table).toBe(alone.table)
          expect(inPlace.storedFlags).toBe(flags)
          expect(inPlace.isReset).toBe(alone.isReset)
          expect(inPlace.encode()).toEqual(alone.encode())
        },
      ),
      { numRuns: 300 },
    )
  })

  it('a key of bad UTF-8 hashes from the string it reads back as, as the original', () => {
    const raw = Buffer.from([0x61, 0x2f, 0xff, 0xfe, 0x62])
    const node = TrieNode.decodeAt(keyBytesNode(raw, null), 0, raw.length + 6, 5, null)
    expect(node.key).toBe(raw.toString('utf-8'))
    expect(node.path).toBe(hashKey(raw.toString('utf-8')))
  })

  it('a value read late is the stored bytes, and an empty value is not a reset node', () => {
    const block = keyBytesNode(Buffer.from(''), Buffer.alloc(0))
    const node = TrieNode.decodeAt(block, 0, block.length, 5, null)
    expect(node.isReset).toBe(false)
    expect(node.valueBuffer).toEqual(Buffer.alloc(0))
    const reset = keyBytesNode(Buffer.from(''), null)
    expect(TrieNode.decodeAt(reset, 0, reset.length, 5, null).isReset).toBe(true)
  })
})
