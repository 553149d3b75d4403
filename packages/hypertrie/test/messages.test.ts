// Codec round trips (fast-check) and the extension message vectors of hypertrie@5.
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  decodeExtensionMessage,
  encodeExtensionMessage,
} from '../src/messages/extension-message.js'
import { decodeHeaderMessage, encodeHeaderMessage } from '../src/messages/header-message.js'
import { decodeMountMessage, encodeMountMessage } from '../src/messages/mount-message.js'
import { decodeNodeMessage, encodeNodeMessage } from '../src/messages/node-message.js'
import { type BucketTable, decodeTrieBuffer, encodeTrieBuffer } from '../src/trie-buffer.js'

const u64 = fc.maxSafeNat()
const bytes = fc.uint8Array({ maxLength: 64 }).map((u) => Buffer.from(u))

describe('Node message', () => {
  it('round-trips any node', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.option(bytes, { nil: null }),
        fc.option(bytes, { nil: null }),
        u64,
        u64,
        (key, valueBuffer, trieBuffer, seq, flags) => {
          const m = { key, valueBuffer, trieBuffer, seq, flags }
          expect(decodeNodeMessage(encodeNodeMessage(m))).toEqual(m)
        },
      ),
    )
  })

  it('writes the bytes of the spec example', () => {
    const hex = encodeNodeMessage({
      key: 'a',
      valueBuffer: Buffer.from('value-a'),
      trieBuffer: Buffer.from([0]),
      seq: 1,
      flags: 0,
    }).toString('hex')
    expect(hex).toBe('0a0161120776616c75652d611a01002001' + '2800')
  })
})

describe('Header message', () => {
  it('plain hypertrie header bytes', () => {
    expect(
      encodeHeaderMessage({ type: 'hypertrie', metadata: null, subtype: null }).toString('hex'),
    ).toBe('0a09687970657274726965')
  })
  it('round-trips', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.option(bytes, { nil: null }),
        fc.string(),
        (type, metadata, subtype) => {
          const h = { type, metadata, subtype }
          expect(decodeHeaderMessage(encodeHeaderMessage(h))).toEqual(h)
        },
      ),
    )
  })
})

describe('Mount message', () => {
  it('round-trips', () => {
    fc.assert(
      fc.property(
        bytes,
        fc.string(),
        fc.option(u64, { nil: null }),
        fc.option(fc.string(), { nil: null }),
        fc.option(bytes, { nil: null }),
        (key, localPath, version, remotePath, hash) => {
          const m = { key, localPath, version, remotePath, hash }
          expect(decodeMountMessage(encodeMountMessage(m))).toEqual(m)
        },
      ),
    )
  })
})

describe('trie buffer', () => {
  const table = fc
    .array(
      fc.option(fc.array(fc.nat({ max: 1_000_000 }), { minLength: 1, maxLength: 15 }), {
        nil: undefined,
      }),
      {
        maxLength: 70,
      },
    )
    .map((t): BucketTable => {
      // trailing empty positions are not representable: the writer's table ends at its last bucket
      const out: BucketTable = t.map((b) => (b?.some((s) => s > 0) ? trimBucket(b) : undefined))
      while (out.length && out[out.length - 1] === undefined) out.pop()
      return out
    })

  it('round-trips bucket tables', () => {
    fc.assert(
      fc.property(table, (t) => {
        const decoded = decodeTrieBuffer(encodeTrieBuffer(t), 1000)
        expect(decoded.length).toBe(t.length)
        for (let i = 0; i < t.length; i++) {
          expect((decoded[i] ?? []).map((s) => s || 0)).toEqual((t[i] ?? []).map((s) => s || 0))
        }
      }),
    )
  })

  it('matches the a/b/c example of the spec', () => {
    const t: BucketTable = []
    t[1] = [2]
    t[33] = [0, 0, 0, 0, 1]
    expect(encodeTrieBuffer(t).toString('hex')).toBe('2201010221' + '1001')
  })
})

function trimBucket(b: number[]): number[] {
  const out = b.slice()
  while (out.length && !out[out.length - 1]) out.pop()
  return out
}

interface ExtVectors {
  encodings: { message: Record<string, Record<string, unknown>>; hex: string }[]
  getExchange: { hex: string; decoded: unknown }[]
  iteratorExchange: { hex: string; decoded: unknown }[]
}

describe('Extension message', () => {
  const v = JSON.parse(
    readFileSync(`${process.env.HYPERSTACK_SHARED}/spec/vectors/hypertrie-extension.json`, 'utf-8'),
  ) as ExtVectors

  it('encodes the vector messages byte for byte', () => {
    const [get, iterator, cache] = v.encodings
    expect(encodeExtensionMessage({ get: { head: 5, key: 'hello/world' } }).toString('hex')).toBe(
      get.hex,
    )
    expect(
      encodeExtensionMessage({
        iterator: { head: 1000, key: 'beta', flags: 1, checkpoint: Buffer.from('2105', 'hex') },
      }).toString('hex'),
    ).toBe(iterator.hex)
    expect(
      encodeExtensionMessage({ cache: { start: 3, end: 10, blocks: [9, 3, 7] } }).toString('hex'),
    ).toBe(cache.hex)
  })

  it('decodes the captured exchanges', () => {
    for (const x of [...v.getExchange, ...v.iteratorExchange]) {
      const m = decodeExtensionMessage(Buffer.from(x.hex, 'hex'))
      const plain = {
        ...m,
        iterator: m.iterator && {
          ...m.iterator,
          checkpoint: m.iterator.checkpoint?.toString('hex') ?? null,
        },
      }
      expect(plain).toEqual(x.decoded)
      expect(encodeExtensionMessage(m).toString('hex')).toBe(x.hex)
    }
  })

  it('round-trips', () => {
    fc.assert(
      fc.property(
        fc.option(fc.record({ start: u64, end: u64, blocks: fc.array(u64, { maxLength: 20 }) }), {
          nil: null,
        }),
        fc.option(
          fc.record({
            head: u64,
            key: fc.string(),
            flags: u64,
            checkpoint: fc.option(bytes, { nil: null }),
          }),
          {
            nil: null,
          },
        ),
        fc.option(fc.record({ head: u64, key: fc.string() }), { nil: null }),
        (cache, iterator, get) => {
          const m = { cache, iterator, get }
          expect(decodeExtensionMessage(encodeExtensionMessage(m))).toEqual(m)
        },
      ),
    )
  })
})
