// Message codecs: decode(encode(m)) = m for every type, exact known bytes, and hostile bodies
// (random, truncated, wrong wire types) raise InvalidMessageError and nothing else.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  CancelCodec,
  CloseCodec,
  DataCodec,
  ExtensionCodec,
  HaveCodec,
  InvalidArgumentError,
  InvalidMessageError,
  type MessageCodec,
  NoisePayloadCodec,
  OpenCodec,
  OptionsCodec,
  RequestCodec,
  StatusCodec,
  UnhaveCodec,
  UnwantCodec,
  WantCodec,
} from '../src/index.js'
import { ALL_CASES, type Case } from './helpers/arbitraries.js'

const CODECS: Record<string, MessageCodec<never, unknown>> = {
  Open: OpenCodec,
  Options: OptionsCodec,
  Status: StatusCodec,
  Have: HaveCodec,
  Unhave: UnhaveCodec,
  Want: WantCodec,
  Unwant: UnwantCodec,
  Request: RequestCodec,
  Cancel: CancelCodec,
  Data: DataCodec,
  Close: CloseCodec,
}

function encode(c: Case): Buffer {
  const codec = CODECS[c.name] as MessageCodec<unknown, unknown>
  const buf = Buffer.alloc(codec.encodingLength(c.input))
  const end = codec.encode(c.input, buf, 0)
  expect(end).toBe(buf.byteLength)
  return buf
}

function decode(name: string, buf: Buffer, start = 0, end = buf.byteLength): unknown {
  return CODECS[name].decode(buf, start, end)
}

describe('message codecs', () => {
  it('round-trips every message type: decode(encode(m)) = m with defaults filled', () => {
    fc.assert(
      fc.property(fc.oneof(...ALL_CASES), (c) => {
        expect(decode(c.name, encode(c))).toEqual(c.decoded)
      }),
      { numRuns: 2000 },
    )
  })

  it('decodes a body in the middle of a larger buffer without reading outside it', () => {
    fc.assert(
      fc.property(fc.oneof(...ALL_CASES), fc.uint8Array({ maxLength: 8 }), (c, pad) => {
        const body = encode(c)
        const framed = Buffer.concat([Buffer.from(pad), body, Buffer.from([0x08, 0x01, 0xff])])
        expect(decode(c.name, framed, pad.byteLength, pad.byteLength + body.byteLength)).toEqual(
          c.decoded,
        )
      }),
      { numRuns: 500 },
    )
  })

  it('writes the exact bytes of the spec examples (zero and false are written)', () => {
    const enc = (codec: MessageCodec<never, unknown>, m: unknown) => {
      const c = codec as MessageCodec<unknown, unknown>
      const buf = Buffer.alloc(c.encodingLength(m))
      c.encode(m, buf, 0)
      return buf.toString('hex')
    }
    expect(enc(WantCodec, { start: 0, length: 1048576 })).toBe('0800108080' + '40')
    expect(enc(StatusCodec, { uploading: true, downloading: false })).toBe('08011000')
    expect(enc(HaveCodec, { start: 5 })).toBe('0805')
    expect(enc(RequestCodec, { index: 5, bytes: 0, hash: false, nodes: 0 })).toBe(
      '0805100018002000',
    )
    expect(enc(CloseCodec, {})).toBe('')
    expect(enc(DataCodec, { index: 1, value: Buffer.alloc(0) })).toBe('08011200')
    expect(enc(ExtensionCodec, { id: 1, message: Buffer.from('hi') })).toBe('016869')
    expect(enc(NoisePayloadCodec, { nonce: Buffer.alloc(24, 0xa0) })).toBe(`0a18${'a0'.repeat(24)}`)
  })

  it('skips unknown fields of every wire type, as protobuf decoders do', () => {
    // Have{start 3} + field 9 varint + field 10 bytes + field 11 fixed64 + field 12 fixed32
    const body = Buffer.from(`0803489601520301020359${'00'.repeat(8)}65${'00'.repeat(4)}`, 'hex')
    expect(decode('Have', body)).toEqual({ start: 3, length: 1, bitfield: null, ack: false })
  })

  it('rejects a missing required field with InvalidMessageError', () => {
    expect(() => decode('Have', Buffer.from('1001', 'hex'))).toThrow(InvalidMessageError)
    expect(() => decode('Open', Buffer.alloc(0))).toThrow(InvalidMessageError)
    expect(() => decode('Data', Buffer.from('1200', 'hex'))).toThrow(InvalidMessageError)
    // A Data node missing its hash.
    expect(() => decode('Data', Buffer.from('08011a0408011801', 'hex'))).toThrow(
      InvalidMessageError,
    )
  })

  it('rejects sending a message without its required field, or with a non-integer', () => {
    const c = HaveCodec as MessageCodec<unknown, unknown>
    expect(() => c.encodingLength({})).toThrow(InvalidArgumentError)
    expect(() => c.encodingLength({ start: -1 })).toThrow(InvalidArgumentError)
    expect(() => c.encodingLength({ start: 1.5 })).toThrow(InvalidArgumentError)
  })

  it('truncated bodies either decode (cut at a field boundary) or raise InvalidMessageError', () => {
    fc.assert(
      fc.property(fc.oneof(...ALL_CASES), fc.nat(), (c, cut) => {
        const body = encode(c)
        if (body.byteLength === 0) return
        const end = cut % body.byteLength
        try {
          decode(c.name, body, 0, end)
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidMessageError)
        }
      }),
      { numRuns: 2000 },
    )
  })

  it('random bodies never throw anything but InvalidMessageError', () => {
    const names = [...Object.keys(CODECS), 'Extension', 'NoisePayload']
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.uint8Array({ maxLength: 64 }), (name, raw) => {
        const buf = Buffer.from(raw)
        const codec =
          name === 'Extension'
            ? ExtensionCodec
            : name === 'NoisePayload'
              ? NoisePayloadCodec
              : CODECS[name]
        try {
          codec.decode(buf, 0, buf.byteLength)
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidMessageError)
        }
      }),
      { numRuns: 5000 },
    )
  })

  it('rejects a length-delimited field that claims more bytes than the body has', () => {
    // Data { index 1, value: length 2^30 }
    expect(() => decode('Data', Buffer.from('0801128080808004', 'hex'))).toThrow(
      InvalidMessageError,
    )
  })

  it('rejects a known field with the wrong wire type', () => {
    // Have.start as a length-delimited field
    expect(() => decode('Have', Buffer.from('0a0100', 'hex'))).toThrow(InvalidMessageError)
  })

  it('rejects varints above 2^53 - 1', () => {
    expect(() => decode('Have', Buffer.from('08ffffffffffffffff7f', 'hex'))).toThrow(
      InvalidMessageError,
    )
  })
})
