// The dht-rpc@4 Message codec and the @hyperswarm/dht@4 value codecs against the spec vectors.
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeMessage, encodeMessage } from '../src/messages/message.js'
import type { MessageInput } from '../src/messages/message.js'
import {
  decodeHolepunch,
  decodeMutable,
  decodePeersInput,
  decodePeersOutput,
  encodeHolepunch,
  encodeMutable,
  encodePeersInput,
  encodePeersOutput,
} from '../src/messages/values.js'

interface Captured {
  name: string
  hex: string
  decoded: Record<string, unknown>
}
interface Encoded {
  name: string
  input: Record<string, string | number>
  hex: string
}
interface ValueVector {
  schema: string
  input: Record<string, string | number | boolean>
  hex: string
}
interface Vectors {
  captured: Captured[]
  encoded: Encoded[]
  values: ValueVector[]
}

const vectors = JSON.parse(
  readFileSync(`${process.env.HYPERSTACK_SHARED}/spec/vectors/dht-messages.json`, 'utf8'),
) as Vectors

const BYTES = new Set(['to', 'id', 'target', 'closerNodes', 'roundtripToken', 'value'])

function toInput(obj: Record<string, string | number>): MessageInput {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(obj)) {
    out[k] = BYTES.has(k) && typeof v === 'string' ? Buffer.from(v, 'hex') : v
  }
  return out as unknown as MessageInput
}

describe('Message codec', () => {
  it.each(vectors.encoded.map((v) => [v.name, v] as const))('encodes "%s"', (_, v) => {
    expect(encodeMessage(toInput(v.input)).toString('hex')).toBe(v.hex)
  })

  it.each(vectors.captured.map((v) => [v.name, v] as const))(
    'decodes and re-encodes captured "%s" byte for byte',
    (_, v) => {
      const buf = Buffer.from(v.hex, 'hex')
      const m = decodeMessage(buf)
      const d = v.decoded
      if (typeof d.rid === 'number') expect(m.rid).toBe(d.rid)
      if (typeof d.command === 'string') expect(m.command).toBe(d.command)
      if (typeof d.id === 'string') expect(m.id?.toString('hex')).toBe(d.id)
      // re-encode only the fields that were on the wire
      const input: MessageInput = {
        version: m.version === 0 ? null : m.version,
        type: m.type,
        rid: m.rid,
        to: m.to,
        id: m.id,
        target: m.target,
        closerNodes: m.closerNodes,
        roundtripToken: m.roundtripToken,
        command: buf.includes(Buffer.from([0x3a])) && m.command !== '' ? m.command : null,
        error: m.error !== '' || hasEmptyError(v) ? m.error : null,
        value: m.value,
      }
      expect(encodeMessage(input).toString('hex')).toBe(v.hex)
    },
  )

  it('rejects datagrams without type or rid, and truncated fields', () => {
    expect(() => decodeMessage(Buffer.from('5801', 'hex'))).toThrowError(
      expect.objectContaining({ code: 'ERR_DECODE' }),
    )
    expect(() => decodeMessage(Buffer.from('58010801', 'hex'))).toThrowError(/rid/)
    expect(() => decodeMessage(Buffer.from('580108011005', 'hex').subarray(0, 5))).toThrow()
    expect(() => decodeMessage(Buffer.from('5801080110054a05aa', 'hex'))).toThrowError(/overruns/)
  })

  it('skips unknown fields by wire type', () => {
    const m = decodeMessage(Buffer.from('58010801100578019a0102abcd', 'hex'))
    expect(m.rid).toBe(5)
    expect(m.type).toBe(1)
  })

  it('round-trips arbitrary messages', () => {
    const bytes = fc.option(fc.uint8Array({ maxLength: 80 }), { nil: null })
    const str = fc.option(fc.string({ maxLength: 20 }), { nil: null })
    fc.assert(
      fc.property(
        fc.record({
          version: fc.option(fc.nat(), { nil: null }),
          type: fc.integer({ min: 1, max: 3 }),
          rid: fc.integer({ min: 0, max: 65535 }),
          to: bytes,
          id: bytes,
          target: bytes,
          closerNodes: bytes,
          roundtripToken: bytes,
          command: str,
          error: str,
          value: bytes,
        }),
        (input) => {
          const m = decodeMessage(encodeMessage(input))
          expect(m.type).toBe(input.type)
          expect(m.rid).toBe(input.rid)
          expect(m.version).toBe(input.version ?? 0)
          for (const k of [
            'to',
            'id',
            'target',
            'closerNodes',
            'roundtripToken',
            'value',
          ] as const) {
            const want = input[k]
            expect(m[k] === null ? null : Buffer.from(m[k]).toString('hex')).toBe(
              want === null ? null : Buffer.from(want).toString('hex'),
            )
          }
          expect(m.command).toBe(input.command ?? '')
          expect(m.error).toBe(input.error ?? '')
        },
      ),
    )
  })
})

function hasEmptyError(v: Captured): boolean {
  const order = v.decoded.fieldOrder
  return Array.isArray(order) && order.some((f) => String(f).startsWith('error'))
}

describe('value codecs', () => {
  const hex = (s: unknown) => (typeof s === 'string' ? Buffer.from(s, 'hex') : s)
  it.each(vectors.values.map((v, i) => [`${i} ${v.schema}`, v] as const))(
    'encodes and decodes %s',
    (_, v) => {
      const input: Record<string, unknown> = {}
      for (const [k, val] of Object.entries(v.input))
        input[k] = k === 'port' || k === 'seq' || k === 'unannounce' ? val : hex(val)
      const buf = Buffer.from(v.hex, 'hex')
      switch (v.schema) {
        case 'PeersInput': {
          expect(encodePeersInput(input).toString('hex')).toBe(v.hex)
          const d = decodePeersInput(buf)
          expect(d.port).toBe(input.port ?? 0)
          expect(d.unannounce).toBe(input.unannounce ?? false)
          break
        }
        case 'PeersOutput':
          expect(encodePeersOutput(input).toString('hex')).toBe(v.hex)
          expect(decodePeersOutput(buf).localPeers?.toString('hex')).toBe(v.input.localPeers)
          break
        case 'Mutable':
          expect(encodeMutable(input).toString('hex')).toBe(v.hex)
          expect(decodeMutable(buf).seq).toBe(v.input.seq)
          break
        case 'Holepunch':
          expect(encodeHolepunch(input).toString('hex')).toBe(v.hex)
          expect(
            decodeHolepunch(buf).to?.toString('hex') ?? decodeHolepunch(buf).from?.toString('hex'),
          ).toBe(v.input.to ?? v.input.from)
          break
        default:
          throw new Error(`unknown schema ${v.schema}`)
      }
    },
  )

  it('round-trips Mutable records', () => {
    fc.assert(
      fc.property(
        fc.record({
          value: fc.option(fc.uint8Array({ maxLength: 1000 }), { nil: null }),
          signature: fc.option(fc.uint8Array({ minLength: 64, maxLength: 64 }), { nil: null }),
          seq: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
          salt: fc.option(fc.uint8Array({ maxLength: 64 }), { nil: null }),
        }),
        (rec) => {
          const d = decodeMutable(encodeMutable(rec))
          expect(d.seq).toBe(rec.seq)
          expect(d.value === null ? null : [...d.value]).toEqual(
            rec.value === null ? null : [...rec.value],
          )
          expect(d.salt === null ? null : [...d.salt]).toEqual(
            rec.salt === null ? null : [...rec.salt],
          )
        },
      ),
    )
  })

  it('round-trips PeersInput', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 65535 }),
        fc.option(fc.uint8Array({ minLength: 6, maxLength: 6 }), { nil: null }),
        fc.boolean(),
        (port, localAddress, unannounce) => {
          const d = decodePeersInput(encodePeersInput({ port, localAddress, unannounce }))
          expect(d.port).toBe(port)
          expect(d.unannounce).toBe(unannounce)
          expect(d.localAddress === null ? null : [...d.localAddress]).toEqual(
            localAddress === null ? null : [...localAddress],
          )
        },
      ),
    )
  })
})
