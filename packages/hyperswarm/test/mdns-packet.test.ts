import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { decodeMessage, encodeQuery, encodeResponse, topicDomain } from '../src/mdns-packet.js'

interface MdnsVectors {
  domain: string
  query: { hex: string }
  responseToQuery: { hex: string }
  unsolicitedAnnounce: { hex: string }
}
const vectors = (
  JSON.parse(
    readFileSync(`${process.env.HYPERSTACK_SHARED}/spec/vectors/dht-messages.json`, 'utf8'),
  ) as {
    mdns: MdnsVectors
    topic: { hex?: string } | string
  }
).mdns

const name = vectors.domain
const id = Buffer.concat([Buffer.from('id='), Buffer.alloc(32, 0x42)])

describe('mDNS packets (as @hyperswarm/discovery@2)', () => {
  it('encodes the SRV query byte for byte', () => {
    expect(encodeQuery(name).toString('hex')).toBe(vectors.query.hex)
  })

  it('encodes the unsolicited announce and the answer to a query byte for byte', () => {
    const srv = { type: 'SRV', name, port: 49812, target: '0.0.0.0' } as const
    const txt = { type: 'TXT', name, data: [id] } as const
    expect(encodeResponse([srv, txt]).toString('hex')).toBe(vectors.unsolicitedAnnounce.hex)
    const a = { type: 'A', name: 'referrer.hyperswarm.local', address: '127.0.0.1' } as const
    expect(encodeResponse([srv, txt, a]).toString('hex')).toBe(vectors.responseToQuery.hex)
  })

  it('decodes the original response', () => {
    const m = decodeMessage(Buffer.from(vectors.responseToQuery.hex, 'hex'))
    expect(m?.response).toBe(true)
    expect(m?.answers).toEqual([
      { type: 'SRV', name, port: 49812, target: '0.0.0.0' },
      { type: 'TXT', name, data: [id] },
      { type: 'A', name: 'referrer.hyperswarm.local', address: '127.0.0.1' },
    ])
    const q = decodeMessage(Buffer.from(vectors.query.hex, 'hex'))
    expect(q?.questions).toEqual([{ type: 'SRV', name }])
  })

  it('derives the name from the first 20 bytes of the topic', () => {
    const topic = randomBytes(32)
    expect(topicDomain(topic)).toBe(`${topic.subarray(0, 20).toString('hex')}.hyperswarm.local`)
  })

  it('returns null for malformed packets (truncations, pointer loops, junk)', () => {
    const full = Buffer.from(vectors.responseToQuery.hex, 'hex')
    for (let n = 0; n < full.length; n++) {
      const m = decodeMessage(full.subarray(0, n))
      if (m !== null) expect(m.answers.length).toBeLessThan(3)
    }
    const loop = Buffer.concat([
      Buffer.from('000000000001000000000000', 'hex'),
      Buffer.from([0xc0, 12]),
    ])
    expect(decodeMessage(loop)).toBe(null)
    for (let i = 0; i < 2000; i++) decodeMessage(randomBytes(12 + (i % 80)))
  })
})
