// The hyperdrive@10.21.0 fixture (written through mountable-hypertrie over corestore@5) opened by
// our trie controller over our Corestore: same listing orders across the mount, same header.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Corestore } from '@hyperstack/hypercore'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Hypertrie, MountableTrie } from '../../src/index.js'

const FIXTURE = `${process.env.HYPERSTACK_SHARED}/fixtures/hyperdrive-v10-basic/storage`
interface Readdir {
  name: string
  opts: Record<string, boolean>
  result: unknown[]
}
const vector = JSON.parse(
  readFileSync(`${process.env.HYPERSTACK_SHARED}/spec/vectors/hyperdrive-basic.json`, 'utf-8'),
) as {
  readdirs: Readdir[]
}
const readdir = (name: string, opts: Record<string, boolean>) =>
  vector.readdirs.find((r) => r.name === name && JSON.stringify(r.opts) === JSON.stringify(opts))
    ?.result

describe('hyperdrive-v10-basic fixture through MountableTrie', () => {
  let dir = ''
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hypertrie-fixture-'))
    cpSync(FIXTURE, dir, { recursive: true })
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('lists across the mount in the original order and reads through it', async () => {
    const store = new Corestore(dir)
    await store.ready()
    try {
      const trie = new Hypertrie(null, { feed: store.default() })
      const drive = new MountableTrie(trie, { corestore: { get: ({ key }) => store.get({ key }) } })
      await drive.ready()
      expect(trie.version).toBe(16)
      const metadata = await trie.getMetadata()
      expect(metadata?.length).toBe(32) // the content core's key

      const recursive = (await drive.list('', { recursive: true })).map((n) => n.key)
      expect(recursive).toEqual(readdir('/', { recursive: true }))
      const noMounts = (await drive.list('', { recursive: true, noMounts: true })).map((n) => n.key)
      expect(noMounts).toEqual(readdir('/', { recursive: true, noMounts: true }))

      const top: string[] = []
      for (const n of await drive.list('', { recursive: false })) {
        const first = n.key.split('/')[0]
        if (!top.includes(first)) top.push(first)
      }
      expect(top).toEqual(readdir('/', {}))

      const through = await drive.get('/mounted/through-a.txt')
      expect(through?.trie.key?.toString('hex')).toBe(
        '2a6f18049f29a10ab4d84343d26de16aca395271e88d2195115098fd10d21a27',
      )
      expect(through?.innerPath).toBe('through-a.txt')
      expect(through?.mount.localPath).toBe('mounted')
      expect(await drive.get('/deleted.txt')).toBe(null)
      const mounts = await drive.listMounts()
      expect(mounts.map((m) => m.path)).toEqual(['mounted'])
    } finally {
      await store.close()
    }
  })
})
