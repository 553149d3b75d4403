// Same operations as the vectors → byte-identical node blocks, the same gets, lists, histories
// and diffs as hypertrie@5 produced.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { Hypercore } from '@hyperstack/hypercore'
import { describe, expect, it } from 'vitest'
import { Hypertrie, type HypertrieNode } from '../src/index.js'
import { pathDigits } from '../src/path-hash.js'
import { TrieNode } from '../src/trie-node.js'
import { newCore } from './helpers/cores.js'

const VECTORS = `${process.env.HYPERSTACK_SHARED}/spec/vectors`
function load<T>(name: string): T {
  return JSON.parse(readFileSync(`${VECTORS}/${name}`, 'utf-8')) as T
}

interface Block {
  seq: number
  hex: string
}
interface KeyVector {
  key: string
  hidden: boolean
  siphash: string[]
  pathDigits: string
}
interface Basic {
  operations: { op: string; key: string; value: string }[]
  blocks: Block[]
  keys: KeyVector[]
  extraKeys: KeyVector[]
  gets: {
    key: string
    opts: Record<string, boolean>
    result: { key: string; seq: number; value: string | null; flags: number } | null
  }[]
  lists: { prefix: string; opts: Record<string, boolean>; keys: string[] }[]
}

function simple(n: HypertrieNode | null) {
  if (!n) return null
  return {
    key: n.key,
    seq: n.seq,
    value: n.valueBuffer ? n.valueBuffer.toString('hex') : null,
    flags: n.flags,
  }
}

function newTrie(): { trie: Hypertrie; feed: Hypercore } {
  const feed = newCore()
  return { trie: new Hypertrie(null, { feed }), feed }
}

async function blocksOf(feed: Hypercore): Promise<Buffer[]> {
  const out: Buffer[] = []
  for (let i = 0; i < feed.length; i++) out.push((await feed.get(i)) as Buffer)
  return out
}

describe('hypertrie-basic vectors', () => {
  const v = load<Basic>('hypertrie-basic.json')

  it('hashes keys into the same digit paths', () => {
    for (const k of [...v.keys, ...v.extraKeys]) {
      const n = new TrieNode(k.key, null, k.hidden ? 1 : 0, 0, [], null)
      expect(Buffer.from(n.hash).toString('hex')).toBe(k.siphash.join(''))
      expect(pathDigits(n.hash, k.hidden)).toBe(k.pathDigits)
    }
  })

  it('writes identical blocks and answers the same gets and lists', async () => {
    const { trie, feed } = newTrie()
    await trie.ready()
    for (const op of v.operations) await trie.put(op.key, Buffer.from(op.value, 'hex'))
    expect((await blocksOf(feed)).map((b) => b.toString('hex'))).toEqual(v.blocks.map((b) => b.hex))
    for (const g of v.gets) expect(simple(await trie.get(g.key, g.opts)), g.key).toEqual(g.result)
    for (const l of v.lists) {
      const keys = (await trie.list(l.prefix, l.opts)).map((n) => n.key)
      expect(keys, `${l.prefix} ${JSON.stringify(l.opts)}`).toEqual(l.keys)
    }
  })

  it('batch gives the same blocks', async () => {
    const { trie, feed } = newTrie()
    await trie.batch(
      v.operations.map((op) => ({
        type: 'put' as const,
        key: op.key,
        value: Buffer.from(op.value, 'hex'),
      })),
    )
    expect((await blocksOf(feed)).map((b) => b.toString('hex'))).toEqual(v.blocks.map((b) => b.hex))
  })
})

interface Ops {
  steps: { desc: string; appendedSeqs: number[]; result: unknown }[]
  blocks: Block[]
  queries: { desc: string; result: unknown }[]
}

describe('hypertrie-ops vectors', () => {
  const v = load<Ops>('hypertrie-ops.json')

  it('replays hidden keys, flags, CAS, deletes, collisions and a batch byte for byte', async () => {
    const { trie, feed } = newTrie()
    await trie.ready()
    const b = (s: string) => Buffer.from(s)
    const steps: [string, () => Promise<unknown>][] = [
      ['put a/1', () => trie.put('a/1', b('one'))],
      ['put a/2', () => trie.put('a/2', b('two'))],
      ['put a', () => trie.put('a', b('dir'))],
      ['put hidden h/1', () => trie.put('h/1', b('hidden-one'), { hidden: true })],
      ['put flagged f', () => trie.put('f', b('flagged'), { flags: 5 })],
      ['put mounts/m', () => trie.put('mounts/m', b('mm'), { hidden: true, flags: 1 })],
      ['put idgcmnmna', () => trie.put('idgcmnmna', b('col-1'))],
      ['put mpomeiehc', () => trie.put('mpomeiehc', b('col-2'))],
      ['put a/1 again', () => trie.put('a/1', b('one-v2'))],
      ['put k/null', () => trie.put('k/null', null)],
      ['refused', () => trie.put('a/2', b('never'), { condition: () => false })],
      [
        'accepted',
        () =>
          trie.put('a/2', b('two-v2'), {
            condition: (old) => !!old && old.valueBuffer?.toString() === 'two',
          }),
      ],
      ['del a/2', () => trie.del('a/2')],
      ['del a', () => trie.del('a')],
      ['del missing', () => trie.del('missing')],
      ['del idgcmnmna', () => trie.del('idgcmnmna')],
      ['del hidden h/1', () => trie.del('h/1', { hidden: true })],
      [
        'batch',
        () =>
          trie.batch([
            { type: 'put', key: 'b/1', value: b('b1') },
            { type: 'put', key: 'b/2', value: b('b2') },
            { type: 'del', key: 'a/1' },
            { type: 'put', key: 'b/3', value: b('b3'), flags: 2 },
          ]),
      ],
    ]
    expect(steps.length).toBe(v.steps.length)
    for (let i = 0; i < steps.length; i++) {
      const before = feed.length
      await steps[i][1]()
      const appended = Array.from({ length: feed.length - before }, (_, k) => before + k)
      expect(appended, v.steps[i].desc).toEqual(v.steps[i].appendedSeqs)
    }
    expect((await blocksOf(feed)).map((x) => x.toString('hex'))).toEqual(v.blocks.map((x) => x.hex))

    const q = (desc: string) => v.queries.find((x) => x.desc === desc)?.result
    expect((await trie.list()).map((n) => n.key)).toEqual(q('list all (non-hidden, recursive)'))
    expect((await trie.list('', { hidden: true })).map((n) => n.key)).toEqual(q('list hidden'))
    expect(simple(await trie.get('idgcmnmna'))).toEqual(q('get idgcmnmna'))
    expect(simple(await trie.get('mpomeiehc'))).toEqual(q('get mpomeiehc'))
    expect(simple(await trie.get('f'))).toEqual(q('get f (flags are user flags)'))
    expect(simple(await trie.get('h/1'))).toEqual(q('get h/1 without hidden'))
    expect(simple(await trie.get('mounts/m', { hidden: true }))).toEqual(q('get mounts/m hidden'))
    for (let ver = 1; ver <= 19; ver++) {
      const keys = (await trie.checkout(ver).list()).map((n) => n.key)
      expect(keys, `checkout ${ver}`).toEqual(q(`checkout(${ver}) list`))
    }
    const hist: unknown[] = []
    for await (const n of trie.history()) hist.push(simple(n))
    expect(hist).toEqual(q('history (all)'))

    const diff = async (other: number, prefix: string, hidden = false) => {
      const out: unknown[] = []
      for await (const d of trie.diff(other, prefix, { hidden })) {
        out.push({ key: d.key, left: simple(d.left), right: simple(d.right) })
      }
      return out
    }
    expect(await diff(0, '')).toEqual(q('diff(latest, 0)'))
    expect(await diff(5, '')).toEqual(q('diff(latest, 5)'))
    expect(await diff(10, '')).toEqual(q('diff(latest, 10)'))
    expect(await diff(14, 'a')).toEqual(q('diff(latest, 14, prefix a)'))
    expect(await diff(5, '', true)).toEqual(q('diff(latest, 5, hidden)'))
  })
})

interface Thousand {
  deleted: { key: string; returned: { key: string; seq: number } | null }[]
  blockSha256: string[]
  listOrder: string[]
  listOrderReverse: string[]
  readdirRoot: string[]
  listBeta3: string[]
  listBetaNonRecursive: string[]
}

const keyFor = (i: number) =>
  i % 17 === 0
    ? `top-${i}`
    : `${['alpha', 'beta', 'gamma', 'delta', 'epsilon'][i % 5]}/${i % 9}/key-${i}`

describe('hypertrie-1000 vectors', () => {
  const v = load<Thousand>('hypertrie-1000.json')
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

  it('1000 puts and 100 deletes give the same blocks and orders', async () => {
    const { trie, feed } = newTrie()
    await trie.ready()
    for (let i = 0; i < 1000; i++) await trie.put(keyFor(i), Buffer.from(`value-${i}`))
    for (let k = 0; k < 100; k++) {
      const r = await trie.del(keyFor(k * 10))
      expect(r ? { key: r.key, seq: r.seq } : null).toEqual(v.deleted[k].returned)
    }
    expect((await blocksOf(feed)).map(sha)).toEqual(v.blockSha256)
    expect((await trie.list()).map((n) => n.key)).toEqual(v.listOrder)
    expect((await trie.list('', { reverse: true })).map((n) => n.key)).toEqual(v.listOrderReverse)
    expect((await trie.list('', { recursive: false })).map((n) => n.key)).toEqual(v.readdirRoot)
  })

  it('one batch of 1000 puts gives the same blocks as single puts', async () => {
    const { trie, feed } = newTrie()
    await trie.batch(
      Array.from({ length: 1000 }, (_, i) => ({
        key: keyFor(i),
        value: Buffer.from(`value-${i}`),
      })),
    )
    expect((await blocksOf(feed)).map(sha)).toEqual(v.blockSha256.slice(0, 1001))
  })
})
