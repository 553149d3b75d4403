// PageSpans against a set of pages: random adds and removes, then has and firstFrom everywhere.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PageSpans } from '../src/page-spans.js'

const op = fc.record({
  add: fc.boolean(),
  from: fc.nat(60),
  length: fc.nat(20),
})

describe('PageSpans', () => {
  it('covers exactly the pages a set of pages would, in as few runs as that takes', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const spans = new PageSpans()
        const model = new Set<number>()
        for (const { add, from, length } of ops) {
          if (add) spans.add(from, from + length)
          else spans.remove(from, from + length)
          for (let p = from; p < from + length; p++) {
            if (add) model.add(p)
            else model.delete(p)
          }
        }
        let runs = 0
        for (let p = 0; p <= 82; p++) {
          expect(spans.has(p)).toBe(model.has(p))
          if (model.has(p) && !model.has(p - 1)) runs++
          let first = -1
          for (let q = p; q <= 82 && first === -1; q++) if (model.has(q)) first = q
          expect(spans.firstFrom(p)).toBe(first)
        }
        // touching and overlapping runs merge
        expect(spans.count).toBe(runs)
      }),
    )
  })
})
