import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { PeerQueue } from '../src/peer-queue.js'
import type { SwarmPeer } from '../src/peer.js'
import { until, waitFor } from './helpers.js'

const topic = Buffer.alloc(32, 7)

function peer(port: number, extra: Partial<SwarmPeer> = {}): SwarmPeer {
  return { host: '127.0.0.1', port, local: false, to: null, referrer: null, topic, ...extra }
}

function queue(opts: ConstructorParameters<typeof PeerQueue>[0] = {}): PeerQueue {
  return new PeerQueue({ requeue: [30, 60, 90], forget: { unresponsive: 60 }, ...opts })
}

describe('PeerQueue', () => {
  it('queues each host:port@topic once and emits readable', async () => {
    const q = queue()
    const readable = waitFor(q, 'readable')
    const info = q.add(peer(1000))
    await readable
    expect(q.add(peer(1000))).toBe(info)
    expect(q.length).toBe(1)
    expect(q.size).toBe(1)
    expect(q.add(peer(1000, { topic: Buffer.alloc(32, 8) }))).not.toBe(info)
    expect(q.size).toBe(2)
    const first = q.shift()
    expect(first?.client).toBe(true)
    expect(first?.active).toBe(true)
    q.destroy()
  })

  it('dials LAN peers before fresh remote ones and same-host peers last', () => {
    const q = queue()
    q.add(peer(1, { to: { host: '127.0.0.1', port: 9 } }))
    q.add(peer(2))
    q.add(peer(3, { local: true }))
    expect(q.prioritised).toBe(2)
    expect(q.shift()?.peer?.port).toBe(3)
    expect(q.shift()?.peer?.port).toBe(2)
    const last = q.shift()
    expect(last?.peer?.port).toBe(1)
    expect(last?.priority).toBe(1)
    expect(q.shift()).toBe(null)
    q.destroy()
  })

  it('retries a failing peer with growing backoff, then forgets it', async () => {
    const q = queue()
    q.add(peer(1000))
    const delays: number[] = []
    for (let attempt = 0; attempt < 3; attempt++) {
      const info = q.shift()
      expect(info?.retries).toBe(attempt)
      if (info === null) throw new Error('expected a peer')
      const started = Date.now()
      expect(q.requeue(info)).toBe(true)
      expect(q.shift()).toBe(null)
      await waitFor(q, 'readable', 2000)
      delays.push(Date.now() - started)
    }
    // Bulk timers fire between 0.66x and 1.32x the nominal delay.
    expect(delays[0]).toBeGreaterThanOrEqual(30 * 0.66 - 2)
    expect(delays[1]).toBeGreaterThanOrEqual(60 * 0.66 - 2)
    expect(delays[2]).toBeGreaterThanOrEqual(90 * 0.66 - 2)
    const last = q.shift()
    if (last === null) throw new Error('expected a peer')
    // Tried but never connected: the lowest priority, as hyperswarm@2.
    expect(last.priority).toBe(0)
    expect(q.requeue(last)).toBe(false)
    await until(() => q.size === 0, 2000, 'the unresponsive peer to be forgotten')
    expect(last.banned).toBe(true)
    // Forgotten peers can be found afresh.
    const again = q.add(peer(1000))
    expect(again).not.toBe(last)
    expect(again?.retries).toBe(0)
    q.destroy()
  })

  it('never retries a banned peer and keeps refusing it', async () => {
    const q = queue()
    q.add(peer(1000))
    const info = q.shift()
    if (info === null) throw new Error('expected a peer')
    const stream = new PassThrough()
    const errors: Error[] = []
    stream.on('error', (err) => errors.push(err))
    info.connected(stream, true)
    expect(info.type).toBe('tcp')
    info.ban()
    expect(stream.destroyed).toBe(true)
    await until(() => errors.length === 1, 1000, 'the ban error')
    expect((errors[0] as NodeJS.ErrnoException).code).toBe('ERR_PEER_BANNED')
    expect(info.banned).toBe(true)
    expect(q.requeue(info)).toBe(false)
    expect(q.add(peer(1000))).toBe(info)
    expect(q.length).toBe(0)
    expect(q.size).toBe(1)
    q.destroy()
  })

  it('backoff() lowers priority and counts as a retry', () => {
    const q = queue()
    q.add(peer(1000))
    const info = q.shift()
    if (info === null) throw new Error('expected a peer')
    info.connected(new PassThrough(), true)
    expect(info.backoff()).toBe(true)
    expect(info.retries).toBe(1)
    expect(info.priority).toBe(5)
    expect(info.backoff()).toBe(true)
    expect(info.backoff()).toBe(true)
    expect(info.backoff()).toBe(false)
    q.destroy()
  })

  it('is bounded: peers beyond maxSize are refused', () => {
    const q = queue({ maxSize: 2 })
    expect(q.add(peer(1))).not.toBe(null)
    expect(q.add(peer(2))).not.toBe(null)
    expect(q.add(peer(3))).toBe(null)
    expect(q.size).toBe(2)
    q.destroy()
  })

  it('multiplex keeps one peer for all topics and lists each topic once', () => {
    const q = queue({ multiplex: true })
    const t2 = Buffer.alloc(32, 9)
    const info = q.add(peer(1000))
    const topics: Buffer[] = []
    info?.on('topic', (t: Buffer) => topics.push(t))
    expect(q.add(peer(1000, { topic: t2 }))).toBe(info)
    expect(q.add(peer(1000, { topic: t2 }))).toBe(info)
    expect(info?.topics).toEqual([topic, t2])
    expect(topics).toEqual([t2])
    expect(q.length).toBe(1)
    q.destroy()
  })

  it('deduplicate() through a PeerInfo drops the later same-side connection', () => {
    const q = queue()
    q.add(peer(1))
    q.add(peer(2))
    const a = q.shift()
    const b = q.shift()
    if (a === null || b === null) throw new Error('expected peers')
    a.connected(new PassThrough(), true)
    b.connected(new PassThrough(), true)
    const local = Buffer.alloc(32, 2)
    const remote = Buffer.alloc(32, 1)
    // We hold the larger id, so we keep server connections: both clients compete, first stays.
    expect(a.deduplicate(local, remote)).toBe(false)
    expect(b.deduplicate(local, remote)).toBe(true)
    expect(b.duplicate).toBe(true)
    expect(b.banned).toBe(true)
    q.destroy()
  })

  it('does nothing once destroyed', () => {
    const q = queue()
    q.destroy()
    expect(q.add(peer(1))).toBe(null)
    expect(q.shift()).toBe(null)
    q.destroy()
  })
})
