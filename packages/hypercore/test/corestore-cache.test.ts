// The Corestore cache against a model: referenced entries are never evicted, unreferenced ones
// are evicted oldest-used first once the cache is over capacity, and evictions happen once.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CoreCache } from '../src/corestore-cache.js'

type Op =
  | { kind: 'set'; id: number }
  | { kind: 'get'; id: number }
  | { kind: 'inc'; id: number }
  | { kind: 'dec'; id: number }
  | { kind: 'del'; id: number }

const opArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom('set', 'get', 'inc', 'dec', 'del'),
  id: fc.integer({ min: 0, max: 7 }),
}) as fc.Arbitrary<Op>

describe('CoreCache', () => {
  it('matches a model of refcounts and least-recently-used eviction', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(opArb, { maxLength: 80 }),
        (max, ops) => {
          const evicted: string[] = []
          const cache = new CoreCache<string>(max, (v) => evicted.push(v))
          // Model: id -> refs, and the unreferenced ids in order of last use.
          const refs = new Map<string, number>()
          let order: string[] = []
          const expectEvicted: string[] = []
          const touch = (id: string) => {
            order = order.filter((x) => x !== id)
            order.push(id)
          }
          const collect = (keep: string | null) => {
            for (const id of [...order]) {
              if (refs.size <= max) break
              if (id === keep) continue
              refs.delete(id)
              order = order.filter((x) => x !== id)
              expectEvicted.push(`v${id}`)
            }
          }
          for (const op of ops) {
            const id = String(op.id)
            if (op.kind === 'set') {
              if (refs.has(id)) continue // the store only sets ids it does not hold
              cache.set(id, `v${id}`)
              refs.set(id, 0)
              touch(id)
              collect(id)
            } else if (op.kind === 'get') {
              const value = cache.get(id)
              expect(value).toBe(refs.has(id) ? `v${id}` : undefined)
              if (refs.get(id) === 0) touch(id)
            } else if (op.kind === 'inc') {
              cache.increment(id)
              if (refs.has(id)) {
                refs.set(id, (refs.get(id) ?? 0) + 1)
                order = order.filter((x) => x !== id)
              }
            } else if (op.kind === 'dec') {
              cache.decrement(id)
              const r = refs.get(id)
              if (r !== undefined && r > 0) {
                refs.set(id, r - 1)
                if (r === 1) {
                  touch(id)
                  collect(null)
                }
              }
            } else {
              cache.delete(id)
              refs.delete(id)
              order = order.filter((x) => x !== id)
            }
            expect(evicted).toEqual(expectEvicted)
            expect(cache.size).toBe(refs.size)
            for (const [key, r] of refs) expect(cache.refs(key)).toBe(r)
            expect([...cache.referenced()].sort()).toEqual(
              [...refs]
                .filter(([, r]) => r > 0)
                .map(([k]) => `v${k}`)
                .sort(),
            )
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it('never evicts a referenced entry, even far over capacity', () => {
    const evicted: string[] = []
    const cache = new CoreCache<string>(1, (v) => evicted.push(v))
    for (const id of ['a', 'b', 'c']) {
      cache.set(id, id)
      cache.increment(id)
    }
    expect(cache.size).toBe(3)
    expect(evicted).toEqual([])
    cache.decrement('b')
    expect(evicted).toEqual(['b'])
    expect(cache.has('b')).toBe(false)
  })
})
