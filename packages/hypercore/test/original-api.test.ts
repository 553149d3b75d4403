// hypercore@9's remaining Feed methods, with promises: getBatch, cancel, rootHashes, verify,
// getBlockInfo and the stats a daemon shows per core.
import net from 'node:net'
import { describe, expect, it } from 'vitest'
import type { Hypercore } from '../src/index.js'
import { closedAfterEach, replicateLive } from './helpers.js'

const { closers: cleanups, memoryCore: open } = closedAfterEach()

function connect(a: Hypercore, b: Hypercore): void {
  cleanups.push(replicateLive(a, b))
}

const WORDS = ['zero', 'one', 'two', 'three', 'four']

async function writer(opts = {}): Promise<Hypercore> {
  const core = open(null, opts)
  await core.append(WORDS)
  return core
}

describe('getBatch', () => {
  it('returns blocks [start, end) decoded', async () => {
    const core = await writer()
    const batch = await core.getBatch(1, 4, { valueEncoding: 'utf-8' })
    expect(batch).toEqual(['one', 'two', 'three'])
    expect(await core.getBatch(2, 2)).toEqual([])
  })

  it('fetches missing blocks from peers, or fails at once with wait: false', async () => {
    const source = await writer()
    const replica = open(source.key, { sparse: true, valueEncoding: 'utf-8' })
    await replica.ready()
    await expect(replica.getBatch(0, 2, { wait: false })).rejects.toMatchObject({
      code: 'ERR_BLOCK_NOT_AVAILABLE',
    })
    connect(source, replica)
    expect(await replica.getBatch(0, 5)).toEqual(WORDS)
  })

  it('rejects a bad range with ERR_INVALID_ARGUMENT', async () => {
    const core = await writer()
    await expect(core.getBatch(3, 1)).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' })
    await expect(core.getBatch(-1, 1)).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' })
    await expect(core.getBatch(0, 2 ** 40)).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' })
  })
})

describe('cancel', () => {
  it('rejects the gets waiting in the range and the downloads within it', async () => {
    const source = await writer()
    const replica = open(source.key, { sparse: true })
    await replica.ready()
    const inRange = replica.get(1)
    const alsoInRange = replica.get(3)
    const outside = replica.get(4, { timeout: 200 })
    const download = replica.download({ start: 1, end: 3 })
    const longer = replica.download({ start: 0, end: 5 })

    replica.cancel(1, 4)

    await expect(inRange).rejects.toMatchObject({ code: 'ERR_CANCELLED' })
    await expect(alsoInRange).rejects.toMatchObject({ code: 'ERR_CANCELLED' })
    await expect(download).rejects.toMatchObject({ code: 'ERR_CANCELLED' })
    // Not cancelled: it times out instead.
    await expect(outside).rejects.toMatchObject({ code: 'ERR_TIMEOUT' })
    replica.undownload(longer)
    await expect(longer).rejects.toMatchObject({ code: 'ERR_CANCELLED' })
  })

  it('cancels one block when given no end', async () => {
    const source = await writer()
    const replica = open(source.key, { sparse: true })
    await replica.ready()
    const two = replica.get(2)
    const three = replica.get(3)
    replica.cancel(2)
    await expect(two).rejects.toMatchObject({ code: 'ERR_CANCELLED' })
    connect(source, replica)
    expect(((await three) as Buffer).toString()).toBe('three')
  })
})

describe('rootHashes, verify, digest and getBlockInfo', () => {
  it('gives the roots of the tree at a length, and verifies signatures against them', async () => {
    const core = await writer()
    const roots = await core.rootHashes(4)
    // Five blocks: a root over blocks 0-3 (node 3) and block 4's leaf (node 8).
    expect(roots.map((r) => r.index)).toEqual([3, 8])
    expect(roots.reduce((n, r) => n + r.size, 0)).toBe(core.byteLength)

    const signature = (await core.storage.getSignature(4)) as Buffer
    expect(await core.verify(4, signature)).toBe(true)
    await expect(core.verify(3, signature)).rejects.toMatchObject({ code: 'ERR_INVALID_SIGNATURE' })
    const forged = Buffer.from(signature)
    forged[0] ^= 1
    await expect(core.verify(4, forged)).rejects.toMatchObject({ code: 'ERR_INVALID_SIGNATURE' })
  })

  it('digest: 1 for a block whose node is here, 0 for an empty replica', async () => {
    const core = await writer()
    expect([0, 1, 2, 3, 4].map((i) => core.digest(i))).toEqual([1, 1, 1, 1, 1])
    const replica = open(core.key, { sparse: true })
    await replica.ready()
    expect(replica.digest(2)).toBe(0)
  })

  it("gives a block's leaf: its tree index and byte size", async () => {
    const core = await writer()
    const info = await core.getBlockInfo(3)
    expect(info.index).toBe(6)
    expect(info.size).toBe('three'.length)
    await expect(core.getBlockInfo(9)).rejects.toMatchObject({ code: 'ERR_CORRUPT_STORAGE' })
  })
})

describe('stats', () => {
  it('counts blocks and bytes per peer and in all, on both sides', async () => {
    const source = await writer()
    const replica = open(source.key, { sparse: true })
    connect(source, replica)
    await replica.getBatch(0, 3)
    const bytes = 'zero'.length + 'one'.length + 'two'.length
    const got = { downloadedBlocks: 3, downloadedBytes: bytes, uploadedBlocks: 0, uploadedBytes: 0 }
    const sent = {
      downloadedBlocks: 0,
      downloadedBytes: 0,
      uploadedBlocks: 3,
      uploadedBytes: bytes,
    }
    expect(replica.stats).toEqual({ peers: [got], totals: got })
    expect(source.stats).toEqual({ peers: [sent], totals: sent })
  })

  it('is null with stats: false', async () => {
    const core = await writer({ stats: false })
    expect(core.stats).toBeNull()
  })
})

describe('peer addresses', () => {
  it('a peer over TCP has remoteAddress and remoteType; over a stream pair, null', async () => {
    const source = await writer()
    const replica = open(source.key, { sparse: true })
    const server = net.createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
    const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve))
    const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1')
    const socket = await accepted
    const a = source.replicate(true, { live: true })
    const b = replica.replicate(false, { live: true })
    a.pipe(client).pipe(a)
    b.pipe(socket).pipe(b)
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          a.destroy()
          b.destroy()
          client.destroy()
          socket.destroy()
          server.close(() => resolve())
        }),
    )
    await replica.get(0)
    const peer = replica.peers[0]
    expect(peer.remoteAddress).toBe('127.0.0.1')
    expect(peer.remoteType).toBe('tcp')
    expect(peer.remotePublicKey?.length).toBe(32)

    const other = open(source.key, { sparse: true })
    connect(source, other)
    await other.get(0)
    expect(other.peers[0].remoteAddress).toBeNull()
  })
})
