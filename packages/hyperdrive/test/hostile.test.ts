// Hostile metadata: malformed Stat entries and content cores that disagree with their Stat give
// typed errors, never a crash, a hang or a partial read presented as complete.
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import {
  ContentMismatchError,
  Hyperdrive,
  InvalidEncodingError,
  Stat,
  toTrieKey,
} from '../src/index.js'
import { memoryStorage } from './helpers/hyperstack-backend.js'

const open: Hyperdrive[] = []
afterEach(async () => {
  for (const d of open.splice(0)) await d.close()
})

async function drive(): Promise<Hyperdrive> {
  const d = new Hyperdrive(memoryStorage())
  await d.ready()
  open.push(d)
  return d
}

async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of stream) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

describe('hostile drive metadata', () => {
  it('a malformed Stat value gives InvalidEncodingError from stat, readFile and readdir', async () => {
    const d = await drive()
    await d.writeFile('/ok.txt', 'fine')
    await d.trie.put(toTrieKey('/bad'), Buffer.from('ffffffff', 'hex'))
    await d.trie.put(toTrieKey('/nomode'), Buffer.from('1000', 'hex'))
    for (const p of ['/bad', '/nomode']) {
      await expect(d.stat(p)).rejects.toBeInstanceOf(InvalidEncodingError)
      await expect(d.readFile(p)).rejects.toMatchObject({ code: 'ERR_INVALID_ENCODING' })
    }
    await expect(d.readdir('/', { includeStats: true })).rejects.toBeInstanceOf(
      InvalidEncodingError,
    )
    await expect(d.readdir('/', { recursive: true })).rejects.toBeInstanceOf(InvalidEncodingError)
    // A one-level names-only listing never decodes the Stats, so the names still list.
    expect((await d.readdir('/')).sort()).toEqual(['bad', 'nomode', 'ok.txt'])
    expect(await d.readFile('/ok.txt', 'utf-8')).toBe('fine')
  })

  it('a Stat naming blocks past the content core end is refused', async () => {
    const d = await drive()
    await d.writeFile('/real', 'abc')
    const content = (await d.getContent())!
    const st = Stat.file({ size: 10, blocks: 3, offset: content.length + 5, byteOffset: 0 })
    await d.trie.put(toTrieKey('/ghost'), st.encode())
    await expect(d.readFile('/ghost')).rejects.toBeInstanceOf(ContentMismatchError)
  })

  it('a Stat claiming more bytes than its blocks hold fails instead of returning a short file', async () => {
    const d = await drive()
    await d.writeFile('/real', 'abc')
    const real = await d.stat('/real')
    const liar = Stat.file({
      size: 1000,
      blocks: real.blocks,
      offset: real.offset,
      byteOffset: real.byteOffset,
    })
    await d.trie.put(toTrieKey('/liar'), liar.encode())
    await expect(d.readFile('/liar')).rejects.toBeInstanceOf(ContentMismatchError)
    await expect(collect(d.createReadStream('/liar', { start: 500 }))).rejects.toBeInstanceOf(
      ContentMismatchError,
    )
    // Bytes that exist still read.
    expect(((await d.readFile('/liar', { length: 3 })) as Buffer).toString()).toBe('abc')
  })

  it('a Stat claiming fewer bytes than its blocks hold reads only its size', async () => {
    const d = await drive()
    await d.writeFile('/real', 'abcdef')
    const real = await d.stat('/real')
    const short = Stat.file({
      size: 2,
      blocks: real.blocks,
      offset: real.offset,
      byteOffset: real.byteOffset,
    })
    await d.trie.put(toTrieKey('/short'), short.encode())
    expect(await d.readFile('/short', 'utf-8')).toBe('ab')
  })

  it('a mount record with a bad key is a typed error', async () => {
    const d = await drive()
    await expect(d.mount('/m', Buffer.alloc(5))).rejects.toMatchObject({ code: 'EINVAL' })
    await expect(d.mount('/m', 'zz')).rejects.toMatchObject({ code: 'EINVAL' })
  })

  it('bad paths and arguments are EINVAL', async () => {
    const d = await drive()
    await expect(d.writeFile('/a\0b', 'x')).rejects.toMatchObject({ code: 'EINVAL' })
    await expect(d.truncate('/x', -1)).rejects.toMatchObject({ code: 'EINVAL' })
    await expect(d.readFile('/none', { start: -5 })).rejects.toMatchObject({ code: 'ENOENT' })
    await d.writeFile('/f', 'x')
    await expect(d.readFile('/f', { start: -5 })).rejects.toMatchObject({ code: 'EINVAL' })
    expect(() => d.checkout(-1)).toThrow(expect.objectContaining({ code: 'EINVAL' }))
  })

  it('random Stats (huge sizes, blocks and offsets, stray links) give values or typed errors', async () => {
    const d = await drive()
    await d.writeFile('/real', Buffer.alloc(200_000, 7))
    const number = fc.oneof(
      fc.nat(70),
      fc.constantFrom(2 ** 31, 2 ** 32, 2 ** 40, 2 ** 52, Number.MAX_SAFE_INTEGER),
      fc.nat(2 ** 40),
    )
    const stat = fc.record({
      kind: fc.constantFrom('file', 'directory', 'symlink'),
      size: number,
      blocks: number,
      offset: number,
      byteOffset: number,
      linkname: fc.option(fc.constantFrom('/real', '/nowhere', '../../..', '/h'), { nil: null }),
    })
    const reads: (() => Promise<unknown>)[] = [
      () => d.stat('/h'),
      () => d.readFile('/h'),
      () => d.readdir('/', { includeStats: true }),
      () => d.readdir('/', { recursive: true }),
      () => collect(d.createReadStream('/h', { start: 5, length: 100 })),
      async () => {
        const fd = await d.open('/h', 'r')
        try {
          await d.read(fd, Buffer.alloc(100), 0, 100, 50)
        } finally {
          await d.close(fd)
        }
      },
    ]
    const unhandled: unknown[] = []
    const onunhandled = (err: unknown) => unhandled.push(err)
    process.on('unhandledRejection', onunhandled)
    const untyped: string[] = []
    try {
      for (const s of fc.sample(stat, { numRuns: 200, seed: 3 })) {
        const make =
          s.kind === 'file' ? Stat.file : s.kind === 'directory' ? Stat.directory : Stat.symlink
        await d.trie.put(toTrieKey('/h'), make(s).encode())
        for (const read of reads) {
          // each settles (a hang fails the test by its timeout) with a value or a coded error
          await read().catch((err: { code?: unknown }) => {
            if (typeof err?.code !== 'string') untyped.push(`${JSON.stringify(s)}: ${err}`)
          })
        }
      }
      expect(untyped).toEqual([])
      expect(unhandled).toEqual([])
      expect(await d.readFile('/real')).toHaveLength(200_000)
    } finally {
      process.off('unhandledRejection', onunhandled)
    }
  })
})
