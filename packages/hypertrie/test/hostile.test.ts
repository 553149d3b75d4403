// Hostile blocks: bad protobuf, pointers past the feed end, cycles → typed errors, never hangs.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CorruptNodeError, DecodeError, Hypertrie, HypertrieError } from '../src/index.js'
import { decodeExtensionMessage } from '../src/messages/extension-message.js'
import { encodeNodeMessage } from '../src/messages/node-message.js'
import { type BucketTable, encodeTrieBuffer } from '../src/trie-buffer.js'
import { TrieNode } from '../src/trie-node.js'
import { newCore } from './helpers/cores.js'

async function trieWith(...blocks: Buffer[]): Promise<Hypertrie> {
  const header = Buffer.from('0a09687970657274726965', 'hex')
  const feed = newCore()
  await feed.append([header, ...blocks])
  const trie = new Hypertrie(null, { feed })
  await trie.ready()
  return trie
}

function nodeBlock(key: string, seq: number, table: BucketTable): Buffer {
  return encodeNodeMessage({
    key,
    valueBuffer: Buffer.from('v'),
    trieBuffer: encodeTrieBuffer(table),
    seq,
    flags: 0,
  })
}

describe('hostile node blocks', () => {
  it('bad protobuf is a DecodeError', async () => {
    const trie = await trieWith(Buffer.from([0x0a, 0x50, 0x61]))
    await expect(trie.get('a')).rejects.toBeInstanceOf(DecodeError)
    await expect(trie.list()).rejects.toMatchObject({ code: 'ERR_DECODE' })
  })

  it('a node without its required key is a DecodeError', async () => {
    const trie = await trieWith(Buffer.from([0x20, 0x01]))
    await expect(trie.get('a')).rejects.toMatchObject({ code: 'ERR_DECODE' })
  })

  it('a bucket pointing past the feed end is a CorruptNodeError, not a wait', async () => {
    const t: BucketTable = []
    t[1] = [0, 0, 0, 999]
    const trie = await trieWith(nodeBlock('a', 1, t))
    const err = await trie.list().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(CorruptNodeError)
    expect((err as CorruptNodeError).code).toBe('ERR_CORRUPT_NODE')
  })

  it('a cycle (a node pointing at itself or a newer node) is a CorruptNodeError', async () => {
    // block 1 points at block 2, block 2 points back at block 1
    const t1: BucketTable = []
    t1[1] = [2, 2, 2, 2]
    const t2: BucketTable = []
    t2[1] = [1, 1, 1, 1]
    const trie = await trieWith(nodeBlock('a', 1, t1), nodeBlock('b', 2, t2))
    await expect(trie.checkout(2).list()).rejects.toBeInstanceOf(CorruptNodeError)
    const self: BucketTable = []
    self[1] = [1, 1, 1, 1]
    const trie2 = await trieWith(nodeBlock('a', 1, self))
    await expect(trie2.get('zz')).rejects.toBeInstanceOf(CorruptNodeError)
  })

  it('a bucket table longer than the path is refused', async () => {
    const trie = await trieWith(
      encodeNodeMessage({
        key: 'a',
        valueBuffer: null,
        trieBuffer: Buffer.from([0xff, 0xff, 0x03]),
        seq: 1,
        flags: 0,
      }),
    )
    await expect(trie.get('a')).rejects.toMatchObject({ code: 'ERR_DECODE' })
  })

  it('random bytes decode or fail with a HypertrieError', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.integer({ min: 1, max: 1000 }),
        (buf, seq) => {
          try {
            TrieNode.decode(buf, seq, null)
          } catch (err) {
            expect(err).toBeInstanceOf(HypertrieError)
          }
          try {
            decodeExtensionMessage(buf)
          } catch (err) {
            expect(err).toBeInstanceOf(HypertrieError)
          }
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('random node blocks in a trie end every read with a value or a typed error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 60 }), { minLength: 1, maxLength: 6 }),
        async (blocks) => {
          const trie = await trieWith(...blocks.map((b) => Buffer.from(b)))
          for (const run of [
            () => trie.get('a/b'),
            () => trie.list(),
            () => trie.list('', { hidden: true }),
          ]) {
            try {
              await run()
            } catch (err) {
              expect(err).toBeInstanceOf(HypertrieError)
            }
          }
        },
      ),
      { numRuns: 80 },
    )
  })

  it('a malformed iterator checkpoint rejects, leaving no read it started unobserved', async () => {
    const trie = new Hypertrie(null, { feed: newCore() })
    await trie.ready()
    for (let i = 0; i < 10; i++) await trie.put(`k${i}`, Buffer.from('v'))
    const unhandled: unknown[] = []
    const onunhandled = (err: unknown) => unhandled.push(err)
    process.on('unhandledRejection', onunhandled)
    try {
      // (i 1, seq 999999), then a varint cut short: the read of 999999 starts before the throw
      const checkpoint = Buffer.from([1, 0xbf, 0x84, 0x3d, 0x80])
      const ite = trie.iterator('', { checkpoint, wait: false })
      await expect(ite.next()).rejects.toBeInstanceOf(HypertrieError)
      for (let k = 0; k < 20; k++) await new Promise((resolve) => setImmediate(resolve))
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', onunhandled)
      await trie.close()
    }
  })
})
