// The shared interop scenario: a sequence of puts, hidden and flagged keys, a SipHash collision,
// deletes and a batch; writers for ours and hypertrie@5, and snapshots of what each reads back.
import { Hypertrie, type HypertrieNode, type TrieFeed } from '../../../src/index.js'
import { type V5DiffEntry, type V5Node, call, drain, hypertrie5 } from './originals.js'

type Step =
  | { type: 'put'; key: string; value: string | null; hidden?: boolean; flags?: number }
  | { type: 'del'; key: string; hidden?: boolean }
  | { type: 'batch'; ops: { type: 'put' | 'del'; key: string; value?: string }[] }

export const steps: Step[] = []
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

export const simple = (n: HypertrieNode | V5Node | null) =>
  n ? { key: n.key, seq: n.seq, value: rawValue(n)?.toString() ?? null } : null
const rawValue = (n: HypertrieNode | V5Node): Buffer | null =>
  'valueBuffer' in n ? n.valueBuffer : n.value

export async function writeOurs(feed: TrieFeed): Promise<Buffer[]> {
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
  for (let i = 0; i < feed.length; i++) blocks.push(Buffer.from((await feed.get(i)) as Uint8Array))
  await trie.close()
  return blocks
}

export async function writeTheirs(dir: string): Promise<Buffer[]> {
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

const probeKeys = [
  'dir0/sub0/file-0',
  'dir2/sub2/file-50',
  'flagged',
  'idgcmnmna',
  'mpomeiehc',
  'b/2',
  'nope',
]

export async function snapshotOurs(t: Hypertrie) {
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

export async function snapshotTheirs(t: ReturnType<typeof hypertrie5>) {
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
