// Fuzzing the UDP decoder: random, truncated and bit-flipped datagrams give typed errors (never
// anything else), and a live node fed thousands of them keeps serving with bounded memory.
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DHT, DecodeError, decodeMessage, encodeMessage } from '../src/index.js'
import {
  decodeHolepunch,
  decodeMutable,
  decodePeersInput,
  decodePeersOutput,
  encodeHolepunch,
  encodeMutable,
  encodePeersInput,
} from '../src/messages/values.js'
import { RawClient } from './helpers/raw-client.js'

const vectors = JSON.parse(
  readFileSync(`${process.env.HYPERSTACK_SHARED}/spec/vectors/dht-messages.json`, 'utf8'),
) as {
  captured: { hex: string }[]
}
const samples = vectors.captured.map((v) => Buffer.from(v.hex, 'hex'))

/** A datagram: random bytes, a truncated real one, or a real one with a few bytes changed. */
const datagram = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc
    .tuple(fc.constantFrom(...samples), fc.nat())
    .map(([s, n]) => s.subarray(0, n % (s.length + 1))),
  fc
    .tuple(
      fc.constantFrom(...samples),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
    )
    .map(([s, edits]) => {
      const b = Buffer.from(s)
      for (const [i, v] of edits) b[i % b.length] = v
      return b
    }),
)

const bytes = (max: number) => fc.uint8Array({ maxLength: max }).map((b) => Buffer.from(b))
const sized = (n: number) => fc.oneof(fc.uint8Array({ minLength: n, maxLength: n }), bytes(2 * n))
/** An IPv4 address and port as the DHT packs them (6 bytes), or not quite. */
const peerAddress = fc.oneof(
  fc
    .tuple(fc.nat(255), fc.nat(0xffff))
    .map(([a, port]) => Buffer.from([127, 0, 0, a, port >> 8, port & 255])),
  bytes(12),
)
/** A value for one of the commands, well formed with hostile fields, or random bytes. */
const commandValue = fc.oneof(
  fc
    .record({
      port: fc.option(fc.oneof(fc.nat(0xffff), fc.constant(2 ** 40)), { nil: null }),
      localAddress: fc.option(peerAddress, { nil: null }),
      unannounce: fc.option(fc.boolean(), { nil: null }),
    })
    .map(encodePeersInput),
  fc
    .record({
      value: fc.option(bytes(1100), { nil: null }),
      signature: fc.option(sized(64), { nil: null }),
      seq: fc.option(fc.oneof(fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER)), { nil: null }),
      salt: fc.option(bytes(80), { nil: null }),
    })
    .map(encodeMutable),
  fc
    .record({
      from: fc.option(peerAddress, { nil: null }),
      to: fc.option(peerAddress, { nil: null }),
    })
    .map(encodeHolepunch),
  bytes(200),
)
/** Queries and updates every command takes, and some it does not, with hostile fields. */
const request = fc.record({
  type: fc.constantFrom(1, 2, 3),
  rid: fc.nat(0xffff),
  command: fc.constantFrom(
    '_ping',
    '_find_node',
    'peers',
    'mutable-store',
    'immutable-store',
    '_holepunch',
    'nope',
  ),
  target: fc.option(sized(32), { nil: null }),
  id: fc.option(sized(32), { nil: null }),
  to: fc.option(peerAddress, { nil: null }),
  roundtripToken: fc.option(sized(32), { nil: null }),
  value: fc.option(commandValue, { nil: null }),
})

/**
 * A ping to the node at `port`. A flood's decodable requests count against the per-address
 * rate limit, so the first pings of the next second may be dropped on purpose: it asks up to 5
 * times (rids from `rid`), as a client retries.
 */
async function pingAfterFlood(
  client: RawClient,
  port: number,
  rid: number,
): Promise<Awaited<ReturnType<RawClient['request']>>> {
  let pong: Awaited<ReturnType<RawClient['request']>> = null
  for (let attempt = 0; attempt < 5 && !pong?.to; attempt++) {
    const r = rid + attempt
    const ping = encodeMessage({ version: 1, type: 1, rid: r, command: '_ping' })
    pong = await client.request(ping, r, port, 1000)
  }
  return pong
}

function decodesOrThrowsTyped(fn: () => unknown): void {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(DecodeError)
  }
}

describe('decoder fuzz', () => {
  it('Message decode only ever throws DecodeError', () => {
    fc.assert(
      fc.property(datagram, (buf) => {
        decodesOrThrowsTyped(() => decodeMessage(buf))
      }),
      { numRuns: 5000 },
    )
  })

  it('value decoders only ever throw DecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (buf) => {
        decodesOrThrowsTyped(() => decodePeersInput(buf))
        decodesOrThrowsTyped(() => decodePeersOutput(buf))
        decodesOrThrowsTyped(() => decodeMutable(buf))
        decodesOrThrowsTyped(() => decodeHolepunch(buf))
      }),
      { numRuns: 3000 },
    )
  })

  it('a decoded message re-encodes to a decodable message with the same fields', () => {
    fc.assert(
      fc.property(datagram, (buf) => {
        let m: ReturnType<typeof decodeMessage>
        try {
          m = decodeMessage(buf)
        } catch {
          return
        }
        const again = decodeMessage(encodeMessage(m))
        expect(again.rid).toBe(m.rid)
        expect(again.command).toBe(m.command)
      }),
      { numRuns: 2000 },
    )
  })
})

describe('live node under garbage', () => {
  let node: DHT
  let client: RawClient
  beforeAll(async () => {
    node = new DHT({ host: '127.0.0.1', bootstrap: [] })
    await node.ready()
    client = new RawClient()
    await client.open()
  })
  afterAll(async () => {
    await node.destroy()
    await client.close()
  })

  it('drops 20000 hostile datagrams, keeps serving, and does not grow', async () => {
    const port = node.address().port
    const packets = fc.sample(datagram, { numRuns: 20000, seed: 42 })
    const before = process.memoryUsage().heapUsed
    for (let i = 0; i < packets.length; i++) {
      client.send(packets[i], port)
      // let the event loop drain every few hundred packets so the socket buffer keeps up
      if (i % 200 === 199) await new Promise((r) => setImmediate(r))
    }
    const pong = await pingAfterFlood(client, port, 65000)
    expect(pong?.to?.length).toBe(6)
    const s = node.stats
    expect(s.malformed).toBeGreaterThan(1000)
    // nothing a stranger sent made us store state beyond the bounds
    expect(node.getNodes().length).toBeLessThanOrEqual(20 * 257)
    const grown = process.memoryUsage().heapUsed - before
    expect(grown).toBeLessThan(64 * 1024 * 1024)
  })

  it('takes 3000 well-formed hostile requests to every command without an unhandled error', async () => {
    const port = node.address().port
    const unhandled: unknown[] = []
    const onunhandled = (err: unknown) => unhandled.push(err)
    process.on('unhandledRejection', onunhandled)
    try {
      const before = process.memoryUsage().heapUsed
      const requests = fc.sample(request, { numRuns: 3000, seed: 7 })
      for (let i = 0; i < requests.length; i++) {
        client.send(encodeMessage({ version: 1, ...requests[i] }), port)
        if (i % 100 === 99) await new Promise((r) => setTimeout(r, 5))
      }
      const pong = await pingAfterFlood(client, port, 65100)
      expect(pong?.to?.length).toBe(6)
      expect(unhandled).toEqual([])
      expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024)
    } finally {
      process.off('unhandledRejection', onunhandled)
    }
  })
})
