import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeNodeMessage } from '../src/messages/node-message.js'
import { encodeTrieBuffer } from '../src/trie-buffer.js'
import { TrieNode } from '../src/trie-node.js'

// a key of two components has a 66-digit path; slots hold seqs older than the node (seq 1000)
const bucketArb = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 999 })), {
  minLength: 1,
  maxLength: 12,
})
const tableArb = fc.array(fc.option(bucketArb, { nil: undefined }), { maxLength: 66 })

describe('TrieNode.slot', () => {
  it('reads the stored table in place exactly as the decoded table answers', () => {
    fc.assert(
      fc.property(tableArb, (table) => {
        const trieBuffer = encodeTrieBuffer(table)
        const block = encodeNodeMessage({
          key: 'a/b',
          valueBuffer: null,
          trieBuffer,
          seq: 1000,
          flags: 0,
        })
        const stored = TrieNode.decode(block, 1000, null)
        const decoded = TrieNode.decode(block, 1000, null).trie
        for (let i = 0; i < 68; i++) {
          for (let v = 0; v < 14; v++) {
            expect(stored.slot(i, v)).toBe(decoded[i]?.[v] ?? 0)
          }
        }
        expect(stored.tableView()).toEqual(decoded)
      }),
      { numRuns: 200 },
    )
  })

  it('a node built from a table answers from its stored form', () => {
    const node = new TrieNode('x/y', null, 0, 50, [undefined, [0, 7, 0, 9], undefined, [3]], null)
    expect([
      node.slot(1, 1),
      node.slot(1, 3),
      node.slot(1, 0),
      node.slot(3, 0),
      node.slot(2, 0),
    ]).toEqual([7, 9, 0, 3, 0])
    expect(node.trie[1]).toEqual([0, 7, 0, 9])
  })
})
