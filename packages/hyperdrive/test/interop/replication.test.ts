// Replication with hyperdrive@10 over one stream (metadata, content and mounts), both roles,
// over an in-process stream pair and loopback TCP.
import { type Server, type Socket, createConnection, createServer } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { Hyperdrive } from '../../src/index.js'
import { memoryStorage } from '../helpers/hyperstack-backend.js'
import { originalRam } from '../helpers/original-backend.js'
import { openOriginal } from '../helpers/original-drive.js'
import { connect, within } from '../helpers/wire.js'

const cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn()
})

const BIG = Buffer.alloc(1100000)
for (let i = 0; i < BIG.length; i++) BIG[i] = (i * 13 + 5) & 255

async function ourWriter(): Promise<{ a: Hyperdrive; b: Hyperdrive }> {
  const a = new Hyperdrive(memoryStorage())
  await a.ready()
  const b = new Hyperdrive(a.corestore, null, { namespace: 'b' })
  await b.ready()
  cleanup.push(() => a.close())
  await b.writeFile('/inb.txt', 'hello from b')
  await a.writeFile('/hello.txt', 'world')
  await a.writeFile('/dir/big.bin', BIG)
  await a.symlink('/hello.txt', '/link')
  await a.mount('/mounted', b.key!)
  return { a, b }
}

async function tcpPair(): Promise<{ client: Socket; server: Socket; close: () => Promise<void> }> {
  const srv: Server = createServer()
  const accepted = new Promise<Socket>((resolve) => {
    srv.once('connection', resolve)
  })
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
  const port = (srv.address() as { port: number }).port
  const client = createConnection(port, '127.0.0.1')
  const server = await accepted
  return {
    client,
    server,
    close: async () => {
      client.destroy()
      server.destroy()
      await new Promise<void>((resolve) => srv.close(() => resolve()))
    },
  }
}

describe('replication with hyperdrive@10', () => {
  it('ours writes, hyperdrive@10 reads over a stream pair (mount included)', async () => {
    const { a } = await ourWriter()
    const reader = await openOriginal(originalRam, a.key)
    cleanup.push(() => reader.promises.close())
    const wire = connect(a.replicate(true), reader.replicate(false))
    cleanup.push(() => wire.close())
    const p = reader.promises
    expect(await within(p.readFile('/hello.txt', 'utf-8'), 10000, 'read hello')).toBe('world')
    expect(
      ((await within(p.readFile('/dir/big.bin'), 10000, 'read big')) as Buffer).equals(BIG),
    ).toBe(true)
    expect(await within(p.readFile('/link', 'utf-8'), 10000, 'read link')).toBe('world')
    expect(await within(p.readFile('/mounted/inb.txt', 'utf-8'), 10000, 'read mount')).toBe(
      'hello from b',
    )
    expect((await p.readdir('/')).sort()).toEqual(['dir', 'hello.txt', 'link', 'mounted'])
  })

  it('hyperdrive@10 writes, ours reads over a stream pair, live updates included', async () => {
    const writer = await openOriginal(originalRam)
    cleanup.push(() => writer.promises.close())
    await writer.promises.writeFile('/hello.txt', 'world')
    await writer.promises.writeFile('/dir/big.bin', BIG)
    const ours = new Hyperdrive(memoryStorage(), writer.key)
    cleanup.push(() => ours.close())
    await ours.ready()
    expect(ours.writable).toBe(false)
    const wire = connect(writer.replicate(true), ours.replicate(false))
    cleanup.push(() => wire.close())
    expect(await within(ours.readFile('/hello.txt', 'utf-8'), 10000, 'read hello')).toBe('world')
    expect(
      ((await within(ours.readFile('/dir/big.bin'), 10000, 'read big')) as Buffer).equals(BIG),
    ).toBe(true)
    const before = ours.version
    await writer.promises.writeFile('/later.txt', 'live')
    expect(await within(ours.readFile('/later.txt', 'utf-8'), 10000, 'read later')).toBe('live')
    expect(ours.version).toBe(before + 1)
  })

  it('ours writes, hyperdrive@10 reads over loopback TCP', async () => {
    const { a } = await ourWriter()
    const reader = await openOriginal(originalRam, a.key)
    cleanup.push(() => reader.promises.close())
    const tcp = await tcpPair()
    cleanup.push(tcp.close)
    const s1 = a.replicate(true)
    const s2 = reader.replicate(false)
    s1.pipe(tcp.client).pipe(s1)
    s2.pipe(tcp.server).pipe(s2)
    cleanup.push(() => {
      s1.destroy()
      s2.destroy()
    })
    const data = await within(reader.promises.readFile('/dir/big.bin'), 10000, 'tcp read')
    expect((data as Buffer).equals(BIG)).toBe(true)
    expect(
      await within(reader.promises.readFile('/mounted/inb.txt', 'utf-8'), 10000, 'tcp mount'),
    ).toBe('hello from b')
  })

  it('hyperdrive@10 writes, ours reads over loopback TCP', async () => {
    const writer = await openOriginal(originalRam)
    cleanup.push(() => writer.promises.close())
    await writer.promises.writeFile('/x.bin', BIG)
    const ours = new Hyperdrive(memoryStorage(), writer.key)
    cleanup.push(() => ours.close())
    await ours.ready()
    const tcp = await tcpPair()
    cleanup.push(tcp.close)
    const s1 = writer.replicate(true)
    const s2 = ours.replicate(false)
    s1.pipe(tcp.client).pipe(s1)
    s2.pipe(tcp.server).pipe(s2)
    cleanup.push(() => {
      s1.destroy()
      s2.destroy()
    })
    const data = await within(ours.readFile('/x.bin'), 10000, 'tcp read')
    expect((data as Buffer).equals(BIG)).toBe(true)
  })

  it('ours writes, ours reads (one stream, mount included)', async () => {
    const { a } = await ourWriter()
    const reader = new Hyperdrive(memoryStorage(), a.key)
    cleanup.push(() => reader.close())
    await reader.ready()
    const wire = connect(a.replicate(true), reader.replicate(false))
    cleanup.push(() => wire.close())
    expect(await within(reader.readFile('/mounted/inb.txt', 'utf-8'), 10000, 'mount read')).toBe(
      'hello from b',
    )
    expect(
      ((await within(reader.readFile('/dir/big.bin'), 10000, 'big')) as Buffer).equals(BIG),
    ).toBe(true)
  })

  it('hyperdrive@10 writes a drive with a mount, ours reads through it and downloads with progress', async () => {
    const writer = await openOriginal(originalRam)
    cleanup.push(() => writer.promises.close())
    const inner = await openOriginal(writer.corestore, null, { namespace: 'inner' })
    await inner.promises.writeFile('/deep.txt', 'from the mounted drive')
    await writer.promises.writeFile('/top.bin', BIG)
    await writer.promises.mount('/m', inner.key)
    const ours = new Hyperdrive(memoryStorage(), writer.key)
    cleanup.push(() => ours.close())
    await ours.ready()
    const wire = connect(writer.replicate(true), ours.replicate(false))
    cleanup.push(() => wire.close())
    expect(await within(ours.readFile('/m/deep.txt', 'utf-8'), 10000, 'mounted read')).toBe(
      'from the mounted drive',
    )
    expect((await within(ours.readdir('/', { recursive: true }), 10000, 'readdir')).sort()).toEqual(
      ['m', 'm/deep.txt', 'top.bin'],
    )
    const progress: number[] = []
    const dl = ours.download('/top.bin')
    dl.on('progress', (p) => progress.push(p.downloadedBlocks))
    const done = await within(dl, 10000, 'download')
    expect(done.totalBlocks).toBe(3)
    expect(progress.at(-1)).toBe(3)
    expect(await ours.stats('/top.bin')).toEqual({
      blocks: 3,
      size: BIG.length,
      downloadedBlocks: 3,
    })
  })
})
