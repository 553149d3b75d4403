// reconnect(version): hypertrie@5's diff that skips keys the older version lacks and nodes not
// stored locally (hyperdrive's mounts use it to find what changed). Same operations on ours and
// on hypertrie@5 must give the same entries.
import { describe, expect, it } from 'vitest'
import { Hypertrie, type HypertrieNode } from '../../src/index.js'
import { newCore } from '../helpers/cores.js'
import {
  type V5DiffEntry,
  type V5Node,
  call,
  drain,
  hypertrie5,
  ram3,
} from './helpers/originals.js'

const FIRST = Array.from({ length: 40 }, (_, i) => ({
  type: 'put' as const,
  key: `d${i % 4}/f${i}`,
  value: Buffer.from(`${i}`),
}))
const THEN = [
  { type: 'put' as const, key: 'd1/f5', value: Buffer.from('five') },
  { type: 'del' as const, key: 'd2/f6' },
  { type: 'put' as const, key: 'new', value: Buffer.from('n') },
]

const show = (n: HypertrieNode | V5Node | null) =>
  n === null ? null : `${n.seq}:${n.value ? Buffer.from(n.value as Buffer).toString() : ''}`

describe('reconnect with hypertrie@5', () => {
  it('gives the entries hypertrie@5 gives after changes, deletes and additions', async () => {
    const theirs = hypertrie5(ram3)
    await call((cb) => theirs.ready(cb))
    await call((cb) => theirs.batch(FIRST, cb))
    const before = theirs.version
    await call((cb) => theirs.batch(THEN, cb))
    const expected = (await drain<V5DiffEntry>(theirs.reconnect(before))).map((d) => [
      d.key,
      show(d.left),
      show(d.right),
    ])

    const ours = new Hypertrie(null, { feed: newCore() })
    await ours.ready()
    await ours.batch(FIRST)
    expect(ours.version).toBe(before)
    await ours.batch(THEN)
    const got: unknown[] = []
    for await (const d of ours.reconnect(before)) got.push([d.key, show(d.left), show(d.right)])

    expect(expected.map((e) => e[0])).toContain('d2/f6')
    expect(expected.map((e) => e[0])).not.toContain('new')
    expect(got).toEqual(expected)
  })
})
