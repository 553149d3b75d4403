// Our node replays the role of node B in the captured @hyperswarm/dht@4 session: it is sent the
// captured request datagrams (tokens swapped for ours, holepunch targets pointed at our sockets)
// and each reply must have exactly the field sequence, sizes and rid of B's captured reply.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DHT, decodeMessage, encodeMessage } from '../../src/index.js'
import { ProtoReader } from '../../src/messages/protobuf.js'
import { encodeHolepunch } from '../../src/messages/values.js'
import { RawClient } from '../helpers/raw-client.js'

interface Captured {
  name: string
  hex: string
  decoded: { fieldOrder: string[] }
}
const vectors = JSON.parse(
  readFileSync(`${process.env.HYPERSTACK_SHARED}/spec/vectors/dht-messages.json`, 'utf8'),
) as {
  captured: Captured[]
  nodes: Record<string, { id: string }>
}
const byName = (name: string): Captured => {
  const v = vectors.captured.find((c) => c.name === name)
  if (!v) throw new Error(`no vector ${name}`)
  return v
}

const NAMES: Record<number, string> = {
  11: 'version',
  1: 'type',
  2: 'rid',
  10: 'to',
  3: 'id',
  4: 'target',
  5: 'closerNodes',
  6: 'roundtripToken',
  7: 'command',
  8: 'error',
  9: 'value',
}

/** The field sequence of a datagram in the vectors' notation: version=1, to[6], ... */
function shape(buf: Uint8Array, sizeOfCloser = true): string[] {
  const r = new ProtoReader(buf)
  const out: string[] = []
  while (!r.done) {
    const tag = r.varint()
    const name = NAMES[tag >> 3]
    if ((tag & 7) === 0) out.push(`${name}=${r.varint()}`)
    else {
      const len = r.bytes().length
      out.push(name === 'closerNodes' && !sizeOfCloser ? 'closerNodes' : `${name}[${len}]`)
    }
  }
  return out
}
const normalize = (order: string[]) =>
  order.map((f) => (f.startsWith('closerNodes') ? 'closerNodes' : f))

let b: DHT
const clients: Record<'A' | 'C' | 'D', RawClient> = {
  A: new RawClient(),
  C: new RawClient(),
  D: new RawClient(),
}
beforeAll(async () => {
  b = new DHT({ host: '127.0.0.1', bootstrap: [], id: Buffer.from(vectors.nodes.B.id, 'hex') })
  await b.ready()
  await Promise.all(Object.values(clients).map((c) => c.open()))
})
afterAll(async () => {
  await b.destroy()
  await Promise.all(Object.values(clients).map((c) => c.close()))
})

async function exchange(from: 'A' | 'C' | 'D', request: Buffer): Promise<Buffer> {
  const m = decodeMessage(request)
  const c = clients[from]
  const reply = new Promise<Buffer>((resolve) => c.socket.once('message', (buf) => resolve(buf)))
  c.send(request, b.address().port)
  const buf = await reply
  expect(decodeMessage(buf).rid).toBe(m.rid)
  return buf
}

/** The captured request with our current token in place of B's. */
function withOurToken(hex: string): Buffer {
  const m = decodeMessage(Buffer.from(hex, 'hex'))
  m.roundtripToken = b.rpc.token('127.0.0.1')
  return encodeMessage(m)
}

const steps: [string, 'A' | 'C' | 'D', string, boolean][] = [
  [
    'find_node query (bootstrap, non-ephemeral sender)',
    'A',
    'find_node response with closerNodes',
    false,
  ],
  ['ping query without expected id', 'C', 'ping response', false],
  [
    'announce: peers QUERY phase with port and localAddress',
    'A',
    'peers response with no peers (empty value present)',
    false,
  ],
  ['announce: peers UPDATE with roundtripToken', 'A', 'response to an UPDATE (no value)', true],
  ['lookup with localAddress', 'C', 'lookup response with peers and localPeers', false],
  ['immutable-store UPDATE', 'A', 'response to an UPDATE (no value)', true],
  ['immutable-store QUERY (ephemeral sender)', 'D', 'immutable-store response with value', false],
  ['mutable-store UPDATE seq=1 no salt', 'A', 'response to an UPDATE (no value)', true],
  ['mutable-store QUERY seq=0', 'C', 'mutable-store response with record', false],
]

describe('replies shaped as the original node B', () => {
  it.each(steps.map((s) => [s[0], s] as const))(
    '%s',
    async (_, [request, from, response, update]) => {
      const req = byName(request)
      const buf = update ? withOurToken(req.hex) : Buffer.from(req.hex, 'hex')
      const reply = await exchange(from, buf)
      // the rid is checked against the request in exchange(); one UPDATE reply vector serves three
      const noRid = (f: string[]) => f.filter((x) => !x.startsWith('rid='))
      expect(noRid(shape(reply, false))).toEqual(
        noRid(normalize(byName(response).decoded.fieldOrder)),
      )
    },
  )

  it('answers the pre-v1 ping the way B did', async () => {
    const rid = 7005
    const reply = await exchange('C', encodeMessage({ type: 1, rid, command: '_ping' }))
    expect(shape(reply)).toEqual(byName('response to a version-less ping').decoded.fieldOrder)
  })

  it('relays a holepunch with the captured shape (rid kept, empty error field)', async () => {
    const m = decodeMessage(
      Buffer.from(byName('holepunch: request to the referrer (value.to = target)').hex, 'hex'),
    )
    const a = clients.A
    m.value = encodeHolepunch({ to: Buffer.from([127, 0, 0, 1, a.port >> 8, a.port & 255]) })
    const relayed = new Promise<Buffer>((resolve) =>
      a.socket.once('message', (buf) => resolve(buf)),
    )
    clients.C.send(encodeMessage(m), b.address().port)
    const got = await relayed
    const want = byName('holepunch: referrer relays to the target (value.from = requester)')
    expect(shape(got)).toEqual(want.decoded.fieldOrder)
    expect(decodeMessage(got).id?.toString('hex')).toBe(vectors.nodes.B.id)

    // the target answers the requester directly, shaped as A's captured answer
    const answer = await exchange(
      'C',
      encodeMessage({ ...decodeMessage(got), value: encodeHolepunch({}) }),
    )
    expect(shape(answer)).toEqual(
      byName('holepunch: target answers the requester directly').decoded.fieldOrder,
    )
  })
})

describe('requests shaped as the original nodes A, C and D', () => {
  const fakeB = new RawClient()
  beforeAll(() => fakeB.open())
  afterAll(() => fakeB.close())

  /** The first datagram `act` makes a fresh node (bootstrapped off a silent fake B) send. */
  async function firstDatagram(
    ephemeral: boolean,
    act: (d: DHT) => Promise<unknown>,
  ): Promise<Buffer> {
    const d = new DHT({
      host: '127.0.0.1',
      bootstrap: [`127.0.0.1:${fakeB.port}`],
      ephemeral,
      tickInterval: 10,
    })
    try {
      await d.ready() // the bootstrap walk times out against the silent fake
      const got = new Promise<Buffer>((resolve) =>
        fakeB.socket.once('message', (buf) => resolve(buf)),
      )
      act(d).catch(() => {})
      return await got
    } finally {
      await d.destroy()
    }
  }
  const topic = Buffer.alloc(32, 3)
  const noRid = (f: string[]) => f.filter((x) => !x.startsWith('rid='))
  const cases: [string, boolean, (d: DHT) => Promise<unknown>][] = [
    [
      'lookup with no options (empty value field present)',
      false,
      (d) => d.lookup(topic).finished(),
    ],
    [
      'lookup with localAddress',
      false,
      (d) => d.lookup(topic, { localAddress: { host: '127.0.0.1', port: 40001 } }).finished(),
    ],
    ['peers query from an ephemeral node (no id field)', true, (d) => d.lookup(topic).finished()],
    [
      'announce: peers QUERY phase with port and localAddress',
      false,
      (d) =>
        d
          .announce(topic, { port: 40000, localAddress: { host: '127.0.0.1', port: 40001 } })
          .finished(),
    ],
    ['unannounce: query phase uses _find_node', false, (d) => d.unannounce(topic, { port: 40000 })],
    ['mutable-store QUERY seq=0', false, (d) => d.mutable.get(topic)],
    ['immutable-store QUERY (ephemeral sender)', true, (d) => d.immutable.get(topic)],
    [
      'ping query with expected id in value',
      false,
      (d) => d.ping({ host: '127.0.0.1', port: fakeB.port, id: topic }),
    ],
  ]
  it.each(cases.map((c) => [c[0], c] as const))('%s', async (_, [name, ephemeral, act]) => {
    const got = await firstDatagram(ephemeral, act)
    expect(noRid(shape(got))).toEqual(noRid(byName(name).decoded.fieldOrder))
  })

  it('bootstrap: find_node for our own id', async () => {
    const d = new DHT({
      host: '127.0.0.1',
      bootstrap: [`127.0.0.1:${fakeB.port}`],
      tickInterval: 10,
    })
    const got = new Promise<Buffer>((resolve) =>
      fakeB.socket.once('message', (buf) => resolve(buf)),
    )
    try {
      const buf = await got
      expect(noRid(shape(buf))).toEqual(
        noRid(byName('find_node query (bootstrap, non-ephemeral sender)').decoded.fieldOrder),
      )
      expect(decodeMessage(buf).target?.equals(d.id)).toBe(true)
    } finally {
      await d.destroy()
    }
  })
})
