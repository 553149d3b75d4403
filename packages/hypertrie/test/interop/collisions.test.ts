// Colliding paths against hypertrie@5: with a weak user hash, many keys share digits up to a
// component end, so puts, deletes and batches take the collision branches (sibling copies,
// collision lookups). The same random operations must give the same gets and lists. Blocks
// may differ in the order of colliding siblings inside one bucket: the original adds them in
// the order its reads complete, which depends on its block cache (cached reads finish first).
import { describe, expect, it } from 'vitest'
import { Hypertrie } from '../../src/index.js'
import { V9FeedAdapter, call, hypercore9, hypertrie5, ram3 } from './helpers/originals.js'

// 16 bytes: two 8-byte "components", each almost constant, so different components collide
function weakHash(key: string): Buffer {
  const parts = key.split('/')
  const out = Buffer.alloc(16)
  const score = (s: string | undefined) => {
    let n = 0
    for (const c of s ?? '') n += c.charCodeAt(0)
    return n
  }
  out[0] = score(parts[0]) & 3
  out[8] = score(parts[1]) & 7
  out[9] = parts.length
  return out
}

function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

type Op = { type: 'put' | 'del'; key: string; value?: Buffer }

function randomOps(seed: number, count: number): Op[][] {
  const next = rng(seed)
  const word = () => ['a', 'b', 'c', 'd', 'e', 'f', 'ab', 'ba', 'cd'][Math.floor(next() * 9)]
  const key = () => (next() < 0.8 ? `${word()}/${word()}` : word())
  const steps: Op[][] = []
  for (let k = 0; k < count; k++) {
    const size = next() < 0.3 ? 1 + Math.floor(next() * 5) : 1
    const step: Op[] = []
    for (let j = 0; j < size; j++) {
      if (next() < 0.25) step.push({ type: 'del', key: key() })
      else step.push({ type: 'put', key: key(), value: Buffer.from(`v${k}.${j}`) })
    }
    steps.push(step)
  }
  return steps
}

describe('colliding paths vs hypertrie@5', () => {
  for (const seed of [1, 2, 3]) {
    it(`random puts, deletes and batches give the same gets and lists (seed ${seed})`, async () => {
      const ours = new Hypertrie(null, {
        feed: new V9FeedAdapter(hypercore9(() => ram3())),
        hash: weakHash,
      })
      const theirs = hypertrie5(() => ram3(), null, { hash: weakHash })
      await ours.ready()
      await call((cb) => theirs.ready(cb))
      const keys = new Set<string>()
      for (const step of randomOps(seed, 120)) {
        for (const op of step) keys.add(op.key)
        if (step.length > 1) {
          await ours.batch(step)
          await call((cb) => theirs.batch(step, cb))
        } else if (step[0].type === 'put') {
          await ours.put(step[0].key, step[0].value ?? null)
          await call((cb) => theirs.put(step[0].key, step[0].value ?? null, {}, cb))
        } else {
          await ours.del(step[0].key)
          await call((cb) => theirs.del(step[0].key, {}, cb))
        }
      }
      const theirFeed = new V9FeedAdapter(theirs.feed)
      expect(ours.feed.length).toBe(theirFeed.length)
      expect(ours.feed.length).toBeGreaterThan(100)
      for (const k of keys) {
        const a = await ours.get(k)
        const b = await call<{ value: Buffer | null } | null>((cb) => theirs.get(k, {}, cb))
        expect(a?.value ?? null, k).toEqual(b?.value ?? null)
      }
      const ourList = (await ours.list('')).map((n) => n.key)
      const theirList = (
        await call<{ key: string }[]>((cb) => theirs.list('', { recursive: true }, cb))
      ).map((n) => n.key)
      expect(ourList).toEqual(theirList)
      await ours.close()
      await theirFeed.close()
    })
  }
})
