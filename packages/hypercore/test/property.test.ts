// Property test: random append/get/clear/reopen sequences agree with an in-memory model.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Hypercore } from '../src/index.js'
import { memoryStorage } from './helpers.js'

type Op =
  | { kind: 'append'; blocks: Uint8Array[] }
  | { kind: 'get'; at: number }
  | { kind: 'clear'; at: number; span: number }
  | { kind: 'reopen' }
  | { kind: 'seek'; at: number }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('append' as const),
      blocks: fc.array(fc.uint8Array({ maxLength: 40 }), { minLength: 1, maxLength: 5 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('get' as const), at: fc.nat(1000) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('clear' as const),
      at: fc.nat(1000),
      span: fc.integer({ min: 1, max: 4 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reopen' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('seek' as const), at: fc.nat(10000) }) },
)

describe('Hypercore against a model', () => {
  it('agrees on length, byteLength, has, get and seek', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 25 }), async (ops) => {
        const storage = memoryStorage()
        let core = new Hypercore(storage)
        await core.ready()
        const model: { data: Buffer; present: boolean }[] = []
        try {
          for (const op of ops) {
            if (op.kind === 'append') {
              const bufs = op.blocks.map((b) => Buffer.from(b))
              const seq = await core.append(bufs)
              expect(seq).toBe(model.length)
              for (const b of bufs) model.push({ data: b, present: true })
            } else if (op.kind === 'get') {
              if (!model.length) continue
              const i = op.at % model.length
              if (model[i].present) expect((await core.get(i)) as Buffer).toEqual(model[i].data)
              else
                await expect(core.get(i, { wait: false })).rejects.toMatchObject({
                  code: 'ERR_BLOCK_NOT_AVAILABLE',
                })
            } else if (op.kind === 'clear') {
              if (!model.length) continue
              const i = op.at % model.length
              const end = Math.min(model.length, i + op.span)
              await core.clear(i, end)
              for (let k = i; k < end; k++) model[k].present = false
            } else if (op.kind === 'reopen') {
              await core.close()
              core = new Hypercore(storage)
              await core.ready()
            } else {
              const total = model.reduce((n, b) => n + b.data.length, 0)
              if (total === 0) continue
              const bytes = op.at % (total + 1)
              // Only seek through ranges whose nodes are local (clear keeps tree nodes, so always).
              const [index, offset] = await core.seek(bytes, { wait: false })
              if (bytes === total) expect([index, offset]).toEqual([model.length, 0])
              else {
                let rest = bytes
                let k = 0
                while (
                  k < model.length &&
                  model[k].data.length <= rest &&
                  !(rest === 0 && k === 0)
                ) {
                  rest -= model[k].data.length
                  k++
                }
                if (bytes === 0) expect([index, offset]).toEqual([0, 0])
                else expect([index, offset]).toEqual([k, rest])
              }
            }
            expect(core.length).toBe(model.length)
            expect(core.byteLength).toBe(model.reduce((n, b) => n + b.data.length, 0))
            for (let k = 0; k < model.length; k++) expect(core.has(k)).toBe(model[k].present)
          }
          const report = await core.audit()
          expect(report.valid).toBe(model.filter((b) => b.present).length)
          expect(report.invalid).toBe(0)
        } finally {
          await core.close()
        }
      }),
      { numRuns: 40 },
    )
  }, 60000)
})
