// Trie-format interop on the original core: ours writes a hypercore@9 folder and hypertrie@5
// reads it (get, list, history, diff), and the reverse; the same operations give the same blocks.
import { afterEach, describe, expect, it } from 'vitest'
import { Hypertrie, type HypertrieNode } from '../../src/index.js'
import {
  type V5DiffEntry,
  type V5Node,
  V9FeedAdapter,
  call,
  drain,
  hypercore9,
  hypertrie5,
  tempDir,
} from './helpers/originals.js'

type Step =
  | { type: 'put'; key: string; value: string | null; hidden?: boolean; flags?: number }
  | { type: 'del'; key: string; hidden?: boolean }
  | { type: 'batch'; ops: { type: 'put' | 'del'; key: string; value?: string }[] }

const steps: Step[] = []
for (let i = 0; i < 60; i++)
  steps.push({ type: 'put', key: `dir${i % 4}/sub${i % 3}/file-${i}`, value: `v${i}` })
steps.push({ type: 'put', key: 'hidden/x', value: 'h', hidden: true })
steps.push({ type: 'put', key: 'flagged', value: 'f', flags: 3 })
steps.push({ type: 'put', key: 'nullvalue', value: null })
steps.push({ type: 'put', key: 'idgcmnmna', value: 'c1' })
steps.push({ type: 'put', key: 'mpomeiehc', value: 'c2' })
for (let i = 0; i < 60; i += 7)
  steps.push({ type: 'del', key: `dir${i % 4}/sub${i % 3}/file-${i}` })
steps.push({
  type: 'batch',
  ops: [
    { type: 'put', key: 'b/1', value: 'b1' },
    { type: 'del', key: 'dir1/sub1/file-1' },
    { type: 'put', key: 'b/2', value: 'b2' },
  ],
})

const simple = (n: HypertrieNode | V5Node | null) =>
  n ? { key: n.key, seq: n.seq, value: rawValue(n)?.toString() ?? null } : null
const rawValue = (n: HypertrieNode | V5Node): Buffer | null =>
  'valueBuffer' in n ? n.valueBuffer : n.value

const cleanups: (() => void)[] = []
afterEach(() => {
  while (cleanups.length) cleanups.pop()!()
})

async function writeOurs(dir: string): Promise<Buffer[]> {
  const feed = new V9FeedAdapter(hypercore9(dir))
  const trie = new Hypertrie(null, { feed })
  await trie.ready()
  for (const s of steps) {
    if (s.type === 'put') await trie.put(s.key, s.value === null ? null : Buffer.from(s.value), s)
    else if (s.type === 'del') await trie.del(s.key, s)
    else
      await trie.batch(
        s.ops.map((o) => ({
          ...o,
          value: o.value === undefined ? undefined : Buffer.from(o.value),
        })),
      )
  }
  const blocks: Buffer[] = []
  for (let i = 0; i < feed.length; i++) blocks.push(Buffer.from(await feed.get(i)))
  await trie.close()
  return blocks
}

async function writeTheirs(dir: string): Promise<Buffer[]> {
  const trie = hypertrie5(dir)
  await call((cb) => trie.ready(cb))
  for (const s of steps) {
    if (s.type === 'put') {
      const value = s.value === null ? null : Buffer.from(s.value)
      await call((cb) => trie.put(s.key, value, { hidden: s.hidden, flags: s.flags }, cb))
    } else if (s.type === 'del') await call((cb) => trie.del(s.key, { hidden: s.hidden }, cb))
    else
      await call((cb) =>
        trie.batch(
          s.ops.map((o) => ({
            ...o,
            value: o.value === undefined ? undefined : Buffer.from(o.value),
          })),
          cb,
        ),
      )
  }
  const blocks: Buffer[] = []
  for (let i = 0; i < trie.feed.length; i++)
    blocks.push(await call<Buffer>((cb) => trie.feed.get(i, {}, cb)))
  await call((cb) => trie.feed.close(cb))
  return blocks
}

describe('trie interop over hypercore@9 storage', () => {
  it('the same operations give the same blocks', async () => {
    const a = tempDir()
    const b = tempDir()
    cleanups.push(a.cleanup, b.cleanup)
    const ours = await writeOurs(a.dir)
    const theirs = await writeTheirs(b.dir)
    expect(ours.length).toBe(theirs.length)
    expect(ours.map((x) => x.toString('hex'))).toEqual(theirs.map((x) => x.toString('hex')))
  })

  it('ours writes, hypertrie@5 reads get, list, history and diff', async () => {
    const a = tempDir()
    cleanups.push(a.cleanup)
    await writeOurs(a.dir)

    const ourFeed = new V9FeedAdapter(hypercore9(a.dir))
    const ours = new Hypertrie(null, { feed: ourFeed })
    await ours.ready()
    const ourView = await snapshotOurs(ours)
    await ours.close()

    const theirs = hypertrie5(a.dir)
    await call((cb) => theirs.ready(cb))
    const theirView = await snapshotTheirs(theirs)
    await call((cb) => theirs.feed.close(cb))
    expect(theirView).toEqual(ourView)
    expect(theirView.list.length).toBeGreaterThan(40)
  })

  it('hypertrie@5 writes, ours reads the same', async () => {
    const a = tempDir()
    cleanups.push(a.cleanup)
    await writeTheirs(a.dir)
    const theirs = hypertrie5(a.dir)
    await call((cb) => theirs.ready(cb))
    const theirView = await snapshotTheirs(theirs)
    await call((cb) => theirs.feed.close(cb))

    const ours = new Hypertrie(null, { feed: new V9FeedAdapter(hypercore9(a.dir)) })
    await ours.ready()
    const ourView = await snapshotOurs(ours)
    await ours.close()
    expect(ourView).toEqual(theirView)
  })
})

const probeKeys = [
  'dir0/sub0/file-0',
  'dir2/sub2/file-50',
  'flagged',
  'idgcmnmna',
  'mpomeiehc',
  'b/2',
  'nope',
]

async function snapshotOurs(t: Hypertrie) {
  const gets = []
  for (const k of probeKeys) gets.push(simple(await t.get(k)))
  gets.push(simple(await t.get('hidden/x', { hidden: true })))
  const list = (await t.list()).map(simple)
  const listDir = (await t.list('dir1')).map(simple)
  const top = (await t.list('', { recursive: false })).map(simple)
  const history = []
  for await (const n of t.history()) history.push(simple(n))
  const diff = []
  for await (const d of t.diff(40))
    diff.push({ key: d.key, left: simple(d.left), right: simple(d.right) })
  const old = (await t.checkout(30).list()).map(simple)
  return { gets, list, listDir, top, history, diff, old }
}

async function snapshotTheirs(t: ReturnType<typeof hypertrie5>) {
  const gets = []
  for (const k of probeKeys) gets.push(simple(await call<V5Node | null>((cb) => t.get(k, {}, cb))))
  gets.push(simple(await call<V5Node | null>((cb) => t.get('hidden/x', { hidden: true }, cb))))
  const list = (await call<V5Node[]>((cb) => t.list('', {}, cb))).map(simple)
  const listDir = (await call<V5Node[]>((cb) => t.list('dir1', {}, cb))).map(simple)
  const top = (await call<V5Node[]>((cb) => t.list('', { recursive: false }, cb))).map(simple)
  const history = (await drain<V5Node>(t.history())).map(simple)
  const diff = (await drain<V5DiffEntry>(t.diff(40))).map((d) => ({
    key: d.key,
    left: simple(d.left),
    right: simple(d.right),
  }))
  const co = t.checkout(30)
  const old = (await call<V5Node[]>((cb) => co.list('', {}, cb))).map(simple)
  return { gets, list, listDir, top, history, diff, old }
}
