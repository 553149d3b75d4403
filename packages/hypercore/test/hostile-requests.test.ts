// A peer that sends requests without reading the answers costs a bounded amount: answers wait
// while its stream is backed up, and past MAX_WAITING_REQUESTS its channel ends. Before, every
// request was answered at once into an unbounded buffer (20,000 requests for 64 KiB blocks took
// 1.5 GB).
import { type Channel, ProtocolStream } from '@hyperstack/hypercore-protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { Hypercore } from '../src/index.js'
import { MAX_WAITING_REQUESTS } from '../src/peer-uploads.js'
import { memoryStorage } from './helpers.js'

const closers: (() => unknown)[] = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

const BLOCKS = 16
const BLOCK_SIZE = 64 * 1024

/**
 * A raw peer on a seeder's replication stream that stops reading once the channel is open, then
 * sends `requests` requests for its blocks. Resolves the seeder's stream and how many blocks it
 * uploaded, a second after.
 */
async function floodWithRequests(requests: number) {
  const seeder = new Hypercore(memoryStorage())
  await seeder.append(Array.from({ length: BLOCKS }, (_, i) => Buffer.alloc(BLOCK_SIZE, i)))
  closers.push(() => seeder.close())
  let uploaded = 0
  seeder.on('upload', () => uploaded++)
  const errors: Error[] = []
  seeder.on('peer-error', (err: Error) => errors.push(err))

  const evil = new ProtocolStream(true, { live: true })
  const victim = seeder.replicate(false, { live: true })
  evil.on('error', () => {})
  victim.on('error', () => {})
  evil.pipe(victim)
  victim.on('data', (chunk: Buffer) => evil.write(chunk))
  closers.push(() => {
    evil.destroy()
    victim.destroy()
  })
  const opened = new Promise<Channel>((resolve) => {
    const channel: Channel = evil.open(seeder.key as Buffer, { onopen: () => resolve(channel) })
  })
  const channel = await opened
  victim.pause()
  for (let k = 0; k < requests; k++) channel.request({ index: k % BLOCKS })
  await new Promise((resolve) => setTimeout(resolve, 1000))
  return { seeder, uploaded, errors }
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

  it('still serves a reader that reads, with many requests in flight', async () => {
    const seeder = new Hypercore(memoryStorage())
    await seeder.append(Array.from({ length: 600 }, (_, i) => Buffer.alloc(BLOCK_SIZE, i % 251)))
    const reader = new Hypercore(memoryStorage(), seeder.key, { sparse: true })
    await reader.ready()
    closers.push(
      () => seeder.close(),
      () => reader.close(),
    )
    const a = seeder.replicate(true, { live: true })
    const b = reader.replicate(false, { live: true })
    a.pipe(b).pipe(a)
    closers.push(() => {
      a.destroy()
      b.destroy()
    })
    await reader.download({ start: 0, end: 600 })
    expect((await reader.get(599)) as Buffer).toEqual(Buffer.alloc(BLOCK_SIZE, 599 % 251))
  })
})
