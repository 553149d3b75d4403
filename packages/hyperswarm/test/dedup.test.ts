import { EventEmitter } from 'node:events'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { type DedupConnection, Deduplicator } from '../src/dedup.js'
import type { TransportType } from '../src/peer.js'

class FakeConnection extends EventEmitter implements DedupConnection {
  stream: PassThrough | null = new PassThrough()
  banned = false
  duplicate = false
  softBanned = false
  dedupKey: string | null = null
  destroyedWith: Error | null = null
  constructor(
    readonly client: boolean,
    readonly type: TransportType = 'tcp',
  ) {
    super()
  }
  markDuplicate(): void {
    this.duplicate = true
  }
  ban(soft = false): void {
    this.banned = true
    this.softBanned = soft
    this.stream?.end()
  }
  destroy(err: Error): void {
    this.banned = true
    this.destroyedWith = err
    this.stream?.destroy()
  }
}

const small = Buffer.alloc(32, 1)
const large = Buffer.alloc(32, 2)

/** Runs both sides of a double dial: each side sees its client and its server connection. */
function doubleDial(
  orderA: 'client-first' | 'server-first',
  orderB: 'client-first' | 'server-first',
) {
  const a = new Deduplicator<FakeConnection>()
  const b = new Deduplicator<FakeConnection>()
  // Connection 1 is dialled by A (A client, B server); connection 2 by B.
  const a1 = new FakeConnection(true)
  const b1 = new FakeConnection(false)
  const a2 = new FakeConnection(false)
  const b2 = new FakeConnection(true)
  const aConns = orderA === 'client-first' ? [a1, a2] : [a2, a1]
  const bConns = orderB === 'client-first' ? [b2, b1] : [b1, b2]
  const aDropped = aConns.map((c) => a.deduplicate(small, large, c))
  const bDropped = bConns.map((c) => b.deduplicate(large, small, c))
  return { a1, a2, b1, b2, aDropped, bDropped }
}

describe('Deduplicator', () => {
  it('keeps the connection dialled by the smaller id, on both sides, in any order', () => {
    for (const oa of ['client-first', 'server-first'] as const) {
      for (const ob of ['client-first', 'server-first'] as const) {
        const { a1, a2, b1, b2, aDropped, bDropped } = doubleDial(oa, ob)
        // Connection 1 (dialled by A, the smaller id) survives on both sides.
        expect(a1.duplicate).toBe(false)
        expect(b1.duplicate).toBe(false)
        expect(a2.duplicate).toBe(true)
        expect(b2.duplicate).toBe(true)
        // A call reports `dropped` only for the connection it registers; an earlier one that
        // loses later is flagged through `duplicate` instead.
        expect(aDropped).toEqual(oa === 'client-first' ? [false, true] : [false, false])
        expect(bDropped).toEqual(ob === 'server-first' ? [false, true] : [false, false])
        // The dropped client (B's dial) is soft-banned by B; A leaves its server side alone.
        expect(b2.softBanned).toBe(true)
        expect(a2.banned).toBe(false)
      }
    }
  })

  it('prefers TCP over UDP whatever the ids', () => {
    const d = new Deduplicator<FakeConnection>()
    const udp = new FakeConnection(true, 'udp')
    const tcp = new FakeConnection(false, 'tcp')
    expect(d.deduplicate(small, large, udp)).toBe(false)
    expect(d.deduplicate(small, large, tcp)).toBe(false)
    expect(udp.duplicate).toBe(true)
    const d2 = new Deduplicator<FakeConnection>()
    const tcp2 = new FakeConnection(false, 'tcp')
    const udp2 = new FakeConnection(true, 'udp')
    expect(d2.deduplicate(small, large, tcp2)).toBe(false)
    expect(d2.deduplicate(small, large, udp2)).toBe(true)
  })

  it('destroys a connection to ourselves', () => {
    const d = new Deduplicator<FakeConnection>()
    const conn = new FakeConnection(true)
    expect(d.deduplicate(small, small, conn)).toBe(true)
    expect(conn.destroyedWith?.message).toBe('Connected to self')
  })

  it('releases the dropped client when the survivor closes, unless the survivor was banned', async () => {
    const released: FakeConnection[] = []
    const d = new Deduplicator<FakeConnection>({ onReleaseDuplicate: (c) => released.push(c) })
    const survivor = new FakeConnection(false)
    const dropped = new FakeConnection(true)
    d.deduplicate(large, small, survivor)
    expect(d.deduplicate(large, small, dropped)).toBe(true)
    survivor.stream?.destroy()
    await new Promise((resolve) => survivor.stream?.once('close', resolve))
    expect(released).toEqual([dropped])

    const d2 = new Deduplicator<FakeConnection>({ onReleaseDuplicate: (c) => released.push(c) })
    const s2 = new FakeConnection(false)
    const x2 = new FakeConnection(true)
    d2.deduplicate(large, small, s2)
    d2.deduplicate(large, small, x2)
    s2.banned = true
    s2.stream?.destroy()
    await new Promise((resolve) => s2.stream?.once('close', resolve))
    expect(released).toHaveLength(1)
  })

  it('forgets a survivor on disconnect so a new connection is kept', () => {
    const d = new Deduplicator<FakeConnection>()
    const first = new FakeConnection(true)
    d.deduplicate(small, large, first)
    d.disconnected(first)
    expect(d.size).toBe(0)
    const next = new FakeConnection(false)
    expect(d.deduplicate(small, large, next)).toBe(false)
    expect(next.duplicate).toBe(false)
  })

  it('ignores connections without a stream', () => {
    const d = new Deduplicator<FakeConnection>()
    const conn = new FakeConnection(true)
    conn.stream = null
    expect(d.deduplicate(small, large, conn)).toBe(false)
    expect(d.size).toBe(0)
  })
})
