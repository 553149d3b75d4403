// A peer that sends requests or Wants without reading the answers costs a bounded amount:
// answers wait while its stream is backed up, and past MAX_WAITING_REQUESTS its channel ends.
// Before, each was answered at once into an unbounded buffer (20,000 requests for 64 KiB blocks
// took 1.5 GB).
import type { Channel } from '@hyperstack/hypercore-protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { PUSH_EXTENSION } from '../src/feed-extensions.js'
import { Hypercore } from '../src/index.js'
import { MAX_WAITING_REQUESTS } from '../src/peer-uploads.js'
import { memoryStorage, rawPeer, replicateLive } from './helpers.js'

const closers: (() => unknown)[] = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

const BLOCKS = 16
const BLOCK_SIZE = 64 * 1024

/** A seeder of 64 KiB blocks flooded with `requests` requests by a peer that does not read. */
async function floodWithRequests(requests: number) {
  const seeder = new Hypercore(memoryStorage())
  await seeder.append(Array.from({ length: BLOCKS }, (_, i) => Buffer.alloc(BLOCK_SIZE, i)))
  closers.push(() => seeder.close())
  let uploaded = 0
  seeder.on('upload', () => uploaded++)
  const { errors } = await floodUnread(seeder, (channel) => {
    for (let k = 0; k < requests; k++) channel.request({ index: k % BLOCKS })
  })
  return { seeder, uploaded, errors }
}

/**
 * A raw peer on `seeder`'s replication stream that stops reading once the channel is open, then
 * runs `flood` on its channel. Resolves the seeder's stream and the errors its peers had, a
 * second after.
 */
async function floodUnread(seeder: Hypercore, flood: (channel: Channel) => void) {
  const errors: Error[] = []
  seeder.on('peer-error', (err: Error) => errors.push(err))
  const { stream, victim, end } = rawPeer(seeder)
  closers.push(end)
  const channel = await new Promise<Channel>((resolve) => {
    const opened: Channel = stream.open(seeder.key as Buffer, { onopen: () => resolve(opened) })
  })
  victim.pause()
  flood(channel)
  await new Promise((resolve) => setTimeout(resolve, 1000))
  return { victim, errors }
}

describe('hostile requests', () => {
  it('answers a peer that does not read only as far as its stream takes', async () => {
    const { seeder, uploaded, errors } = await floodWithRequests(MAX_WAITING_REQUESTS - 1)
    // a few blocks fill the stream's buffer; the rest wait, and the peer stays connected
    expect(uploaded).toBeGreaterThan(0)
    expect(uploaded).toBeLessThanOrEqual(40)
    expect(errors).toEqual([])
    expect(seeder.peers.length).toBe(1)
  })

  it(`ends the channel of a peer with over ${MAX_WAITING_REQUESTS} requests waiting`, async () => {
    const { seeder, uploaded, errors } = await floodWithRequests(MAX_WAITING_REQUESTS + 100)
    expect(uploaded).toBeLessThanOrEqual(40)
    expect(errors).toEqual([expect.objectContaining({ code: 'ERR_INVALID_MESSAGE' })])
    expect(seeder.peers.length).toBe(0)
  })

  it('answers Wants for bitfields of kilobytes only as far as the stream takes', async () => {
    // every other block cleared: each region's bitfield is 2 KB that run-length coding keeps
    const seeder = new Hypercore(memoryStorage())
    await seeder.append(Array.from({ length: 16384 }, () => Buffer.from('x')))
    for (let i = 0; i < 16384; i += 2) await seeder.clear(i)
    closers.push(() => seeder.close())
    const { victim, errors } = await floodUnread(seeder, (channel) => {
      for (let k = 0; k < MAX_WAITING_REQUESTS - 1; k++) channel.want({ start: 0, length: 16384 })
    })
    expect(errors).toEqual([])
    expect(victim.bytesSent).toBeLessThan(256 * 1024)
  })

  it('pushes to a peer that takes pushes only while it reads them', async () => {
    const seeder = new Hypercore(memoryStorage())
    await seeder.append(Array.from({ length: 2000 }, (_, i) => Buffer.alloc(1024, i % 251)))
    closers.push(() => seeder.close())
    let pushed = 0
    await floodUnread(seeder, (channel) => {
      channel.options({ extensions: [PUSH_EXTENSION], ack: false })
    })
    const [peer] = seeder.peers
    for (let i = 0; i < 2000; i++) if (await seeder.push(peer, i)) pushed++
    expect(pushed).toBeGreaterThan(0)
    expect(pushed).toBeLessThan(100)
  })

  it('answers no request past the end, hash-only or not (one for block 2^52 used to loop)', async () => {
    const seeder = new Hypercore(memoryStorage())
    await seeder.append(Array.from({ length: BLOCKS }, (_, i) => Buffer.alloc(1024, i)))
    closers.push(() => seeder.close())
    const { stream, end } = rawPeer(seeder)
    closers.push(end)
    const answered: number[] = []
    await new Promise<void>((resolve) => {
      const channel: Channel = stream.open(seeder.key as Buffer, {
        onopen: () => {
          channel.request({ index: 2 ** 52, hash: true, nodes: 2 ** 32 - 1 })
          channel.request({ index: Number.MAX_SAFE_INTEGER, hash: true })
          channel.request({ index: BLOCKS, hash: true })
          channel.request({ index: 2 ** 40 })
          // answered, so the ones before it were dealt with
          channel.request({ index: 1, hash: true })
        },
        ondata: (data) => {
          answered.push(data.index)
          resolve()
        },
      })
    })
    expect(answered).toEqual([1])
    expect(seeder.peers.length).toBe(1)
  })

  it('still serves a reader that reads, with many requests in flight', async () => {
    const seeder = new Hypercore(memoryStorage())
    await seeder.append(Array.from({ length: 600 }, (_, i) => Buffer.alloc(BLOCK_SIZE, i % 251)))
    const reader = new Hypercore(memoryStorage(), seeder.key, { sparse: true })
    await reader.ready()
    closers.push(
      () => seeder.close(),
      () => reader.close(),
    )
    closers.push(replicateLive(seeder, reader))
    await reader.download({ start: 0, end: 600 })
    expect((await reader.get(599)) as Buffer).toEqual(Buffer.alloc(BLOCK_SIZE, 599 % 251))
  })
})
