// The fd API FUSE drives (hyperdrive@10's open/read/write/close/ftruncate, with promises): flags as
// fs takes them, positioned reads, writes where the bytes end gathered into blocks, typed errors.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Hyperdrive } from '../src/index.js'
import { drivesClosedAfterEach } from './helpers/drives.js'
import { memoryStorage } from './helpers/hyperstack-backend.js'
import { sparseReplica } from './helpers/replicas.js'

const { cleanup, newDrive } = drivesClosedAfterEach()

function bytes(n: number, seed = 1): Buffer {
  const out = Buffer.alloc(n)
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed) & 255
  return out
}

describe('writing through a file descriptor', () => {
  it('appends writes in order and commits the file at close, in blocks of gathered writes', async () => {
    const drive = await newDrive()
    const fd = await drive.open('/f.bin', 'w')
    const parts = [bytes(10_000, 1), bytes(100_000, 2), bytes(5, 3)]
    for (const part of parts) {
      expect((await drive.write(fd, part)).bytesWritten).toBe(part.length)
    }
    await drive.close(fd)
    expect(await drive.readFile('/f.bin')).toEqual(Buffer.concat(parts))
    const st = await drive.stat('/f.bin')
    expect(st.size).toBe(110_005)
    expect(st.blocks).toBe(2)
  })

  it('gathers many small writes (FUSE-sized) into 64 KiB blocks', async () => {
    const drive = await newDrive()
    const fd = await drive.open('/small-writes', 'w')
    const data = bytes(100 * 1000)
    for (let i = 0; i < 1000; i++) await drive.write(fd, data, i * 100, 100)
    await drive.close(fd)
    expect(await drive.readFile('/small-writes')).toEqual(data)
    expect((await drive.stat('/small-writes')).blocks).toBe(2)
  })

  it('stat reports the size uncommitted writes reached, as the original', async () => {
    const drive = await newDrive()
    await drive.writeFile('/growing', 'ab')
    const fd = await drive.open('/growing', 'a')
    await drive.write(fd, Buffer.from('cdef'))
    expect((await drive.stat('/growing')).size).toBe(6)
    expect((await drive.lstat('/growing')).size).toBe(6)
    expect((await drive.readFile('/growing')).toString()).toBe('ab')
    await drive.close(fd)
    expect((await drive.stat('/growing')).size).toBe(6)
    expect((await drive.readFile('/growing')).toString()).toBe('abcdef')
  })

  it("copies a caller's buffer: reusing it after write does not change the file", async () => {
    const drive = await newDrive()
    const fd = await drive.open('/copy', 'w')
    const buf = Buffer.from('first')
    await drive.write(fd, buf)
    buf.write('XXXXX')
    await drive.close(fd)
    expect((await drive.readFile('/copy')).toString()).toBe('first')
  })

  it("'a' appends to what the file holds", async () => {
    const drive = await newDrive()
    await drive.writeFile('/log', 'hello')
    const fd = await drive.open('/log', 'a')
    await drive.write(fd, Buffer.from(' world'))
    await drive.close(fd)
    expect((await drive.readFile('/log')).toString()).toBe('hello world')
  })

  it('keeps the Stat fields of a file it rewrites (mode, owner, metadata)', async () => {
    const drive = await newDrive()
    for (const [path, flags] of [
      ['/appended', 'a'],
      ['/emptied', 'w'],
    ]) {
      await drive.writeFile(path, 'start', { mode: 0o100600, uid: 7, gid: 8 })
      await drive.setMetadata(path, 'tag', Buffer.from('kept'))
      const fd = await drive.open(path, flags)
      await drive.write(fd, Buffer.from('more'))
      await drive.close(fd)
      const st = await drive.stat(path)
      expect([st.mode, st.uid, st.gid]).toEqual([0o100600, 7, 8])
      expect(st.metadata?.tag).toEqual(Buffer.from('kept'))
    }
    expect((await drive.readFile('/appended')).toString()).toBe('startmore')
    expect((await drive.readFile('/emptied')).toString()).toBe('more')
  })

  it("'w' empties an existing file even when nothing is written", async () => {
    const drive = await newDrive()
    await drive.writeFile('/t', 'old bytes')
    await drive.close(await drive.open('/t', 'w'))
    expect((await drive.readFile('/t')).length).toBe(0)
  })

  it('refuses writes that are not where the bytes end (EBADF), so nothing is silently dropped', async () => {
    const drive = await newDrive()
    await drive.writeFile('/r', 'existing')
    const rw = await drive.open('/r', 'r+')
    await expect(drive.write(rw, Buffer.from('x'), 0, 1, 0)).rejects.toMatchObject({
      code: 'EBADF',
    })
    const w = await drive.open('/w', 'w')
    await drive.write(w, Buffer.from('abc'))
    await expect(drive.write(w, Buffer.from('x'), 0, 1, 1)).rejects.toMatchObject({ code: 'EBADF' })
    await drive.close(w)
    await drive.close(rw)
    expect((await drive.readFile('/r')).toString()).toBe('existing')
    expect((await drive.readFile('/w')).toString()).toBe('abc')
  })

  it('commits the writes of files still open when the drive closes', async () => {
    const storage = memoryStorage()
    const drive = new Hyperdrive(storage)
    await drive.ready()
    const fd = await drive.open('/unclosed', 'w')
    await drive.write(fd, Buffer.from('kept'))
    await drive.close()

    const reopened = await newDrive(storage)
    expect((await reopened.readFile('/unclosed')).toString()).toBe('kept')
  })
})

describe('reading through a file descriptor', () => {
  it('reads sequentially, at positions, and gives 0 at the end', async () => {
    const drive = await newDrive()
    const data = bytes(300_000)
    await drive.writeFile('/big', data)
    const fd = await drive.open('/big')
    const out = Buffer.alloc(data.length)
    let at = 0
    for (;;) {
      const { bytesRead } = await drive.read(fd, out, at, Math.min(4096, out.length - at))
      if (bytesRead === 0) break
      at += bytesRead
    }
    expect(at).toBe(data.length)
    expect(out).toEqual(data)
    const some = Buffer.alloc(1000)
    expect((await drive.read(fd, some, 0, 1000, 123_456)).bytesRead).toBe(1000)
    expect(some).toEqual(data.subarray(123_456, 124_456))
    expect((await drive.read(fd, some, 0, 1000, data.length)).bytesRead).toBe(0)
    expect((await drive.read(fd, some, 0, 1000, data.length - 10)).bytesRead).toBe(10)
    await drive.close(fd)
  })

  it('reads a range of a remote file fetching only the blocks that cover it', async () => {
    const writer = await newDrive()
    const chunks = Array.from({ length: 64 }, (_, i) => bytes(65536, i))
    const ws = writer.createWriteStream('/remote.bin')
    for (const chunk of chunks) ws.write(chunk)
    await new Promise((resolve) => ws.end(resolve))
    const reader = await sparseReplica(writer, (close) => cleanup.push(close))

    const fd = await reader.open('/remote.bin')
    const got = Buffer.alloc(1000)
    await reader.read(fd, got, 0, 1000, 40 * 65536 + 100)
    await reader.close(fd)

    expect(got).toEqual(chunks[40].subarray(100, 1100))
    const content = (await reader.getContent())!
    expect(content.downloaded ? await content.downloaded() : -1).toBeLessThanOrEqual(2)
  })
})

describe('operations issued at once (as FUSE may)', () => {
  it('serves reads on one descriptor at different positions, each with its own bytes', async () => {
    const drive = await newDrive()
    const data = bytes(600_000)
    await drive.writeFile('/c', data)
    const fd = await drive.open('/c')
    const positions = [0, 300_000, 65_536, 596_000, 123_457, 0]
    const outs = positions.map(() => Buffer.alloc(5000))
    const results = await Promise.all(positions.map((p, i) => drive.read(fd, outs[i], 0, 5000, p)))
    positions.forEach((p, i) => {
      const expected = data.subarray(p, p + 5000)
      expect(results[i].bytesRead).toBe(expected.length)
      expect(outs[i].subarray(0, expected.length)).toEqual(expected)
    })
  })

  it('runs reads and writes without a position in call order', async () => {
    const drive = await newDrive()
    const data = bytes(20_000)
    await drive.writeFile('/c', data)
    const fd = await drive.open('/c')
    const parts = Array.from({ length: 10 }, () => Buffer.alloc(1000))
    await Promise.all(parts.map((part) => drive.read(fd, part)))
    expect(Buffer.concat(parts)).toEqual(data.subarray(0, 10_000))

    const w = await drive.open('/w', 'w')
    await Promise.all(Array.from({ length: 20 }, (_, i) => drive.write(w, Buffer.from(`${i},`))))
    await drive.close(w)
    const expected = Array.from({ length: 20 }, (_, i) => `${i},`).join('')
    expect((await drive.readFile('/w')).toString()).toBe(expected)
  })
})

describe('opening', () => {
  it('gives numbers from 20 in twos and reuses a closed one', async () => {
    const drive = await newDrive()
    await drive.writeFile('/a', 'a')
    const first = await drive.open('/a')
    const second = await drive.open('/a')
    expect([first, second]).toEqual([20, 22])
    await drive.close(first)
    expect(await drive.open('/a')).toBe(20)
  })

  it('fails as open(2) does', async () => {
    const drive = await newDrive()
    await drive.writeFile('/file', 'x')
    await drive.mkdir('/dir')
    await expect(drive.open('/missing')).rejects.toMatchObject({ code: 'ENOENT' })
    await expect(drive.open('/file', 'wx')).rejects.toMatchObject({ code: 'EEXIST' })
    await expect(drive.open('/dir')).rejects.toMatchObject({ code: 'EISDIR' })
    await expect(drive.open('/file', 'q')).rejects.toMatchObject({ code: 'EINVAL' })
    await expect(drive.open('/file', 3)).rejects.toMatchObject({ code: 'EINVAL' })

    const readOnly = await drive.open('/file', 'r')
    await expect(drive.write(readOnly, Buffer.from('y'))).rejects.toMatchObject({ code: 'EBADF' })
    await expect(drive.ftruncate(readOnly)).rejects.toMatchObject({ code: 'EBADF' })
    const writeOnly = await drive.open('/new', 'w')
    await expect(drive.read(writeOnly, Buffer.alloc(1))).rejects.toMatchObject({ code: 'EBADF' })
    await expect(drive.read(readOnly, Buffer.alloc(1), 0, 2)).rejects.toMatchObject({
      code: 'EINVAL',
    })
    await expect(drive.read(99, Buffer.alloc(1))).rejects.toMatchObject({ code: 'EBADF' })
    await drive.close(readOnly)
    await expect(drive.close(readOnly)).rejects.toMatchObject({ code: 'EBADF' })
    await expect(drive.read(readOnly, Buffer.alloc(1))).rejects.toMatchObject({ code: 'EBADF' })
  })

  it('follows symlinks, to where a dangling one points; an exclusive create does not', async () => {
    const drive = await newDrive()
    await drive.writeFile('/target', 'abc')
    await drive.symlink('/target', '/link')
    const a = await drive.open('/link', 'a')
    await drive.write(a, Buffer.from('def'))
    await drive.close(a)
    expect((await drive.readFile('/target')).toString()).toBe('abcdef')
    expect(await drive.readlink('/link')).toBe('/target')
    const r = await drive.open('/link')
    const out = Buffer.alloc(6)
    expect((await drive.read(r, out)).bytesRead).toBe(6)
    await drive.close(r)

    await drive.symlink('/made-by-open', '/dangling')
    const w = await drive.open('/dangling', 'w')
    await drive.write(w, Buffer.from('new'))
    await drive.close(w)
    expect((await drive.readFile('/made-by-open')).toString()).toBe('new')
    expect(await drive.readlink('/dangling')).toBe('/made-by-open')

    await expect(drive.open('/link', 'wx')).rejects.toMatchObject({ code: 'EEXIST' })
    await drive.symlink('/loop-b', '/loop-a')
    await drive.symlink('/loop-a', '/loop-b')
    await expect(drive.open('/loop-a')).rejects.toMatchObject({ code: 'ELOOP' })
  })

  it('opens for writing only a writable drive (EPERM)', async () => {
    const writer = await newDrive()
    await writer.writeFile('/a', 'a')
    await expect(writer.checkout(1).open('/a', 'w')).rejects.toMatchObject({ code: 'EPERM' })
  })

  it('ftruncate empties the file; it refuses while unclosed writes would change the size', async () => {
    const drive = await newDrive()
    await drive.writeFile('/t', 'twelve bytes')
    const rw = await drive.open('/t', 'r+')
    await drive.ftruncate(rw)
    expect((await drive.stat('/t')).size).toBe(0)
    await drive.close(rw)
    const w = await drive.open('/u', 'w')
    await drive.write(w, Buffer.from('abc'))
    await expect(drive.ftruncate(w, 1)).rejects.toMatchObject({ code: 'EINVAL' })
    await drive.close(w)
  })
})

describe('descriptors against a model', () => {
  it('any chunking of writes reads back the same bytes at any positions', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 150_000 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 70_000 })), { maxLength: 8 }),
        async (sizes, reads) => {
          const drive = await newDrive()
          const chunks = sizes.map((n, i) => bytes(n, i + 1))
          const whole = Buffer.concat(chunks)
          const w = await drive.open('/model', 'w')
          for (const chunk of chunks) await drive.write(w, chunk)
          expect((await drive.stat('/model')).size).toBe(whole.length)
          await drive.close(w)
          const r = await drive.open('/model')
          for (const [at, length] of reads) {
            const position = whole.length ? at % (whole.length + 1) : 0
            const out = Buffer.alloc(length)
            const { bytesRead } = await drive.read(r, out, 0, length, position)
            const expected = whole.subarray(position, position + length)
            expect(bytesRead).toBe(expected.length)
            expect(out.subarray(0, bytesRead)).toEqual(expected)
          }
          await drive.close(r)
          await drive.close()
        },
      ),
      { numRuns: 15 },
    )
  })
})
