// The hyperdrive-v10-basic fixture (written by hyperdrive@10) read by our drive: on our own
// layers (a folder path, as hyperdrive(folder)), and on the original corestore@5 and
// mountable-hypertrie as a reference. Every path, Stat field, readdir, range, tag and diff.
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Hyperdrive, type Stat } from '../src/index.js'
import { folderStorage, originalStore, originalTrieFactory } from './helpers/original-backend.js'
import { copyFixture } from './helpers/tmp.js'
import { type BasicVectors, type VectorStat, loadVectors } from './helpers/vectors.js'

const vectors = loadVectors<BasicVectors>('hyperdrive-basic.json')

function statFields(
  st: Stat,
): Omit<VectorStat, 'mtime' | 'ctime'> & { mtime: number; ctime: number } {
  const metadata: Record<string, string> = {}
  for (const [k, v] of Object.entries(st.metadata ?? {}))
    metadata[k] = Buffer.from(v ?? '').toString('hex')
  const m = st.mount
  return {
    mode: st.mode,
    uid: st.uid,
    gid: st.gid,
    size: st.size,
    blocks: st.blocks,
    offset: st.offset,
    byteOffset: st.byteOffset,
    mtime: st.mtime.getTime(),
    ctime: st.ctime.getTime(),
    linkname: st.linkname,
    mount: m
      ? {
          key: Buffer.from(m.key).toString('hex'),
          version: m.version ?? 0,
          hash: m.hash ? Buffer.from(m.hash).toString('hex') : null,
          hypercore: !!m.hypercore,
        }
      : null,
    metadata,
  }
}

function expectStat(st: Stat, expected: VectorStat, synthesisedTimes = false): void {
  const { modeOctal: _o, ...want } = expected as VectorStat & { modeOctal?: string }
  const got = statFields(st)
  if (synthesisedTimes) {
    got.mtime = want.mtime
    got.ctime = want.ctime
  }
  expect(got).toEqual(want)
}

const backends: [string, (dir: string) => Hyperdrive][] = [
  ['@hyperstack layers', (dir) => new Hyperdrive(dir)],
  [
    'original corestore@5 + mountable-hypertrie',
    (dir) =>
      new Hyperdrive(originalStore(folderStorage(dir)), null, { createTrie: originalTrieFactory }),
  ],
]

describe.each(backends)('fixture hyperdrive-v10-basic on %s', (_name, openDrive) => {
  let dir: { path: string; remove: () => Promise<void> }
  let drive: Hyperdrive

  beforeAll(async () => {
    dir = await copyFixture()
    drive = openDrive(dir.path)
    await drive.ready()
  })

  afterAll(async () => {
    await drive.close()
    await dir.remove()
  })

  it('opens drive A with its keys and version', () => {
    expect(drive.key!.toString('hex')).toBe(vectors.keys.A.metadata.publicKey)
    expect(drive.discoveryKey!.toString('hex')).toBe(vectors.keys.A.metadata.discoveryKey)
    expect(drive.version).toBe(vectors.finalVersion.A)
    expect(drive.writable).toBe(true)
  })

  it('finds the content core from the header', async () => {
    const content = await drive.getContent()
    expect(content!.key!.toString('hex')).toBe(vectors.keys.A.content.publicKey)
    expect(content!.length).toBe(8)
  })

  for (const entry of vectors.expectedEntries) {
    it(`matches ${entry.path} (${entry.type})`, async () => {
      const lst = await drive.lstat(entry.path)
      expectStat(lst, entry.stat, entry.path === '/')
      if (entry.type === 'directory') {
        expect(lst.isDirectory()).toBe(true)
        const names = await drive.readdir(entry.path)
        expect([...names].sort()).toEqual(entry.readdir)
      } else if (entry.type === 'symlink') {
        expect(lst.isSymbolicLink()).toBe(true)
        expect(await drive.readlink(entry.path)).toBe(entry.linkname)
      } else {
        const data = (await drive.readFile(entry.path)) as Buffer
        expect(data.length).toBe(entry.contentLength)
        expect(createHash('sha256').update(data).digest('hex')).toBe(entry.contentSha256)
      }
    })
  }

  it('does not have /deleted.txt', async () => {
    expect(await drive.exists('/deleted.txt')).toBe(false)
    await expect(drive.stat('/deleted.txt')).rejects.toMatchObject({ code: 'ENOENT', errno: 2 })
  })

  for (const read of vectors.reads) {
    it(`reads ${read.name} ${JSON.stringify(read.opts ?? {})}`, async () => {
      const data = (await drive.readFile(read.name, read.opts)) as Buffer
      expect(data.length).toBe(read.length)
      expect(createHash('sha256').update(data).digest('hex')).toBe(read.sha256)
    })
  }

  for (const rd of vectors.readdirs) {
    it(`readdir ${rd.name} ${JSON.stringify(rd.opts)} in trie order`, async () => {
      const result = await drive.readdir(rd.name, rd.opts)
      if (rd.opts.includeStats) {
        const want = rd.result as { name: string; path: string; stat: VectorStat }[]
        const got = result as unknown as { name: string; path: string; stat: Stat }[]
        expect(got.map((e) => [e.name, e.path])).toEqual(want.map((e) => [e.name, e.path]))
        got.forEach((e, i) => expectStat(e.stat, want[i].stat))
      } else {
        expect(result).toEqual(rd.result)
      }
    })
  }

  for (const s of vectors.stats) {
    it(`${s.call} ${s.path}`, async () => {
      if (s.error) {
        const op = s.call === 'stat' ? drive.stat(s.path) : drive.lstat(s.path)
        await expect(op).rejects.toMatchObject({ code: s.error, path: s.path })
        return
      }
      const st = s.call === 'stat' ? await drive.stat(s.path) : await drive.lstat(s.path)
      expectStat(st, s.stat, s.path === '/')
    })
  }

  it('has the tags and the tagged version', async () => {
    const tags = await drive.getAllTags()
    expect(tags).toBeInstanceOf(Map)
    expect(Object.fromEntries(tags as Map<string, number>)).toEqual(vectors.tags)
    expect(await drive.getTaggedVersion('v-basic')).toBe(vectors.taggedVersion)
    expect(await drive.getTaggedVersion('nope')).toBe(null)
  })

  it('reads the tagged checkout (recursive, no mounts)', async () => {
    const old = drive.checkout(vectors.taggedVersion)
    expect(await old.readdir('/', { recursive: true, noMounts: true })).toEqual(
      vectors.readdirRecursiveNoMountsAtTag,
    )
    expect(old.version).toBe(vectors.taggedVersion)
    expect(old.writable).toBe(false)
    await expect(old.writeFile('/x', 'y')).rejects.toMatchObject({ code: 'EPERM' })
    await old.close()
  })

  it('diffs against the tagged version', async () => {
    const entries: unknown[] = []
    for await (const e of drive.createDiffStream(vectors.taggedVersion)) entries.push(e)
    const got = (
      entries as {
        type: string
        name: string
        seq?: number
        previous?: { seq: number }
        value?: Stat
      }[]
    ).map((e) => ({
      type: e.type,
      name: e.name,
      ...(e.seq !== undefined ? { seq: e.seq } : {}),
      ...(e.previous ? { previous: e.previous } : {}),
      value: statFields(e.value as Stat),
    }))
    expect(got).toEqual(
      vectors.diffSinceTag.map((d) => {
        const { modeOctal: _o, ...value } = d.value as VectorStat & { modeOctal?: string }
        return { ...d, value }
      }),
    )
  })

  it('lists the mounts', async () => {
    const mounts = await drive.getAllMounts()
    expect([...mounts.keys()]).toEqual(['/', '/mounted'])
    expect(mounts.get('/mounted')!.metadata.key!.toString('hex')).toBe(
      vectors.keys.B.metadata.publicKey,
    )
    const info = await drive.info('/mounted/inb.txt')
    expect(info.feed.key!.toString('hex')).toBe(vectors.keys.B.metadata.publicKey)
  })
})
