// The k-bucket routing table against a brute-force model, and the record stores' bounds.
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { RecordCache } from '../src/record-cache.js'
import {
  type Contact,
  RoutingTable,
  commonPrefixBits,
  compareDistance,
} from '../src/routing-table.js'
import { ValueStore } from '../src/value-store.js'

const id32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((u) => Buffer.from(u))
const contact = (id: Buffer, port = 1): Contact => ({
  id,
  host: '127.0.0.1',
  port,
  roundtripToken: null,
  to: null,
  tick: 0,
})

describe('RoutingTable', () => {
  it('closest() equals a brute-force XOR sort of what the table holds', () => {
    fc.assert(
      fc.property(
        id32,
        fc.array(id32, { maxLength: 200 }),
        id32,
        fc.integer({ min: 1, max: 30 }),
        (own, ids, target, n) => {
          const table = new RoutingTable(own, 20)
          for (const id of ids) table.add(contact(id))
          const held = table.all().map((c) => c.id)
          const want = [...held].sort((a, b) => compareDistance(target, a, b)).slice(0, n)
          expect(table.closest(target, n).map((c) => c.id.toString('hex'))).toEqual(
            want.map((b) => b.toString('hex')),
          )
        },
      ),
      { numRuns: 200 },
    )
  })

  it('keeps k per bucket, reports full, refreshes to the tail, removes', () => {
    const own = Buffer.alloc(32)
    const table = new RoutingTable(own, 2)
    // all in bucket 0 (first bit differs from own)
    const ids = [1, 2, 3].map((i) => {
      const b = Buffer.alloc(32, i)
      b[0] = 0x80 | i
      return b
    })
    expect(table.add(contact(ids[0]))).toBe('added')
    expect(table.add(contact(ids[1]))).toBe('added')
    expect(table.add(contact(ids[2]))).toBe('full')
    expect(table.bucketOf(ids[2], 3).map((c) => c.id)).toEqual([ids[0], ids[1]])
    expect(table.add(contact(ids[0], 2))).toBe('refreshed')
    expect(table.bucketOf(ids[2], 3).map((c) => c.id)).toEqual([ids[1], ids[0]])
    expect(table.oldest(1)[0].id).toEqual(ids[1])
    expect(table.latest(1)[0].port).toBe(2)
    expect(table.remove(ids[1])?.id).toEqual(ids[1])
    expect(table.add(contact(ids[2]))).toBe('added')
    expect(table.add(contact(own))).toBe('refreshed')
    expect(table.size).toBe(2)
  })

  it('commonPrefixBits', () => {
    expect(commonPrefixBits(Buffer.from([0x80]), Buffer.from([0x00]))).toBe(0)
    expect(commonPrefixBits(Buffer.from([0x01]), Buffer.from([0x00]))).toBe(7)
    expect(commonPrefixBits(Buffer.from([1, 2]), Buffer.from([1, 2]))).toBe(16)
  })
})

describe('RecordCache', () => {
  it('bounds records per topic, evicting the oldest', () => {
    const cache = new RecordCache({ maxPerTopic: 3 })
    for (let i = 0; i < 5; i++) cache.add('t', Buffer.from([i]))
    expect(
      cache
        .get('t', 10)
        .map((b) => b[0])
        .sort(),
    ).toEqual([2, 3, 4])
    cache.remove('t', Buffer.from([3]))
    expect(cache.get('t', 10)).toHaveLength(2)
    expect(cache.get('t', 1)).toHaveLength(1)
    expect(cache.get('other', 5)).toEqual([])
    cache.destroy()
  })

  it('drops records after two generations (GC on overflow)', () => {
    const cache = new RecordCache({ maxSize: 2, maxPerTopic: 100 })
    cache.add('a', Buffer.from([1]))
    cache.add('a', Buffer.from([2]))
    cache.add('b', Buffer.from([3])) // fresh > maxSize: a's records move to the stale generation
    expect(cache.get('a', 10)).toHaveLength(2)
    cache.add('c', Buffer.from([4]))
    cache.add('c', Buffer.from([5]))
    cache.add('c', Buffer.from([6])) // second GC: a is gone
    expect(cache.get('a', 10)).toEqual([])
    expect(cache.size).toBeLessThanOrEqual(6)
    cache.destroy()
  })
})

describe('ValueStore', () => {
  it('keeps between max and 2*max entries, promoting reads', () => {
    const store = new ValueStore<number>(2)
    store.set('a', 1)
    store.set('b', 2) // rotate: a, b stale
    store.set('c', 3)
    expect(store.get('a')).toBe(1) // promoted: fresh = c, a -> rotate
    store.set('d', 4)
    expect(store.get('b')).toBeUndefined()
    expect(store.get('a')).toBe(1)
  })
})

describe('RecordCache expiry (record-cache@1 timing)', () => {
  it('a record lives 8 to 16 minutes after its last announce', () => {
    vi.useFakeTimers()
    try {
      const cache = new RecordCache({ maxAge: 12 * 60 * 1000 })
      cache.add('t', Buffer.from([1]))
      vi.advanceTimersByTime(4 * 60 * 1000)
      cache.add('t', Buffer.from([2]))
      vi.advanceTimersByTime(4 * 60 * 1000 + 10) // first GC at 8 min: both move to stale
      expect(cache.get('t', 10)).toHaveLength(2)
      cache.add('t', Buffer.from([2])) // re-announce refreshes
      vi.advanceTimersByTime(8 * 60 * 1000) // second GC at 16 min: [1] dropped
      expect(cache.get('t', 10).map((b) => b[0])).toEqual([2])
      vi.advanceTimersByTime(8 * 60 * 1000) // third GC: [2] dropped 16 min after its refresh
      expect(cache.get('t', 10)).toEqual([])
      cache.destroy()
    } finally {
      vi.useRealTimers()
    }
  })
})
