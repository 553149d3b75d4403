// Replays the operations of hyperdrive-basic.json (master key 32 x 0x42, clock pinned) on our
// drive and compares every metadata block of A and B and every content block, byte for byte.
import { createHash } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Hyperdrive } from '../src/index.js'
import { tempDir } from './helpers/tmp.js'
import { type BasicVectors, loadVectors } from './helpers/vectors.js'

const vectors = loadVectors<BasicVectors>('hyperdrive-basic.json')
const T = vectors.pinnedClockMs

function pattern(len: number, mul: number, add: number): Buffer {
  const b = Buffer.alloc(len)
  for (let i = 0; i < len; i++) b[i] = (i * mul + add) & 255
  return b
}

describe('hyperdrive-basic operations replayed', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(T)
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('writes the same metadata and content blocks as hyperdrive@10', async () => {
    const dir = await tempDir()
    try {
      await writeFile(join(dir.path, 'master_key'), Buffer.alloc(32, 0x42))
      const a = new Hyperdrive(dir.path)
      await a.ready()
      const b = new Hyperdrive(a.corestore, null, { namespace: 'b' })
      await b.ready()
      await b.writeFile('/inb.txt', 'hello from b', { mtime: T + 1000, ctime: T + 1000 })
      await b.mkdir('/sub')
      await b.writeFile('/sub/deep.txt', 'deep')
      await a.writeFile('/hello.txt', 'world')
      await a.mkdir('/dir')
      await a.writeFile('/dir/a.bin', pattern(100000, 31, 7), { mtime: T + 2000, ctime: T + 2000 })
      await a.writeFile('/dir/empty.txt', '')
      await a.symlink('/hello.txt', '/link-to-hello')
      await a.symlink('a.bin', '/dir/rel-link')
      await a.mount('/mounted', b.key!)
      await a.createTag('v-basic')
      await a.writeFile('/big.bin', pattern(600000, 7, 3))
      await a.writeFile('/dir/overwrite.txt', 'first')
      await a.writeFile('/dir/overwrite.txt', 'second version')
      await a.writeFile('/deleted.txt', 'gone soon')
      await a.unlink('/deleted.txt')
      await a.setMetadata('/hello.txt', 'author', Buffer.from('spec'))
      await a.writeFile('/mounted/through-a.txt', 'written via the mount')

      expect(a.version).toBe(vectors.finalVersion.A)
      expect(b.version).toBe(vectors.finalVersion.B)
      for (const block of vectors.metadataBlocks) {
        const got = (await a.metadata!.get(block.seq)) as Buffer
        expect(`A#${block.seq} ${got.toString('hex')}`).toBe(`A#${block.seq} ${block.hex}`)
      }
      for (const block of vectors.mountedDrive.metadataBlocks) {
        const got = (await b.metadata!.get(block.seq)) as Buffer
        expect(`B#${block.seq} ${got.toString('hex')}`).toBe(`B#${block.seq} ${block.hex}`)
      }
      const content = (await a.getContent())!
      expect(content.length).toBe(vectors.contentBlocks.length)
      for (const c of vectors.contentBlocks) {
        const got = (await content.get(c.index)) as Buffer
        expect(got.length).toBe(c.length)
        expect(createHash('sha256').update(got).digest('hex')).toBe(c.sha256)
      }
      await b.close()
      await a.close()
    } finally {
      await dir.remove()
    }
  })
})
