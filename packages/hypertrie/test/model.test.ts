// Random put/del/batch sequences agree with an in-memory Map at every version (via checkout),
// and prefix iteration equals the model's prefix listing.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Hypertrie } from '../src/index.js'
import { newCore } from './helpers/cores.js'

const component = fc.constantFrom('a', 'b', 'c', 'dd', 'e1', 'f')
const key = fc.array(component, { minLength: 1, maxLength: 3 }).map((c) => c.join('/'))
const value = fc.string({ maxLength: 6 })

type Op =
  | { type: 'put'; key: string; value: string }
  | { type: 'del'; key: string }
  | {
      type: 'batch'
      ops: ({ type: 'put'; key: string; value: string } | { type: 'del'; key: string })[]
    }

const putOp = fc.record({ type: fc.constant('put' as const), key, value })
const delOp = fc.record({ type: fc.constant('del' as const), key })
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: putOp },
  { weight: 2, arbitrary: delOp },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('batch' as const),
      ops: fc.array(fc.oneof(putOp, delOp), { maxLength: 6 }),
    }),
  },
)

function under(model: Map<string, string>, prefix: string): string[] {
  return [...model.keys()]
    .filter((k) => prefix === '' || k === prefix || k.startsWith(`${prefix}/`))
    .sort()
}

describe('trie vs Map model', () => {
  it('agrees at every version', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        const trie = new Hypertrie<string>(null, { feed: newCore(), valueEncoding: 'utf-8' })
        await trie.ready()
        const model = new Map<string, string>()
        const snapshots: [number, Map<string, string>][] = [[trie.version, new Map()]]
        for (const o of ops) {
          if (o.type === 'put') {
            await trie.put(o.key, o.value)
            model.set(o.key, o.value)
          } else if (o.type === 'del') {
            const had = model.has(o.key)
            const r = await trie.del(o.key)
            expect(r !== null).toBe(had)
            model.delete(o.key)
          } else {
            await trie.batch(o.ops.map((x) => ({ ...x })))
            for (const x of o.ops) {
              if (x.type === 'put') model.set(x.key, x.value)
              else model.delete(x.key)
            }
          }
          snapshots.push([trie.version, new Map(model)])
        }
        for (const [version, snap] of snapshots) {
          const co = trie.checkout(version)
          const listed = (await co.list()).map((n) => n.key).sort()
          expect(listed).toEqual(under(snap, ''))
          for (const [k, v] of snap) expect((await co.get(k))?.value).toBe(v)
          for (const prefix of ['a', 'b/c', 'dd']) {
            expect((await co.list(prefix)).map((n) => n.key).sort()).toEqual(under(snap, prefix))
          }
          const it = co.iterator('a', { gt: true })
          const gt: string[] = []
          for await (const n of it) gt.push(n.key)
          expect(gt.sort()).toEqual(under(snap, 'a').filter((k) => k !== 'a'))
        }
        const last = snapshots[snapshots.length - 1][1]
        for (const k of ['a', 'b', 'zz/y'])
          expect((await trie.get(k))?.value ?? null).toBe(last.get(k) ?? null)
      }),
      { numRuns: 100 },
    )
  })
})
