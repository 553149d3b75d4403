// Message bodies: our encoder writes the same bytes as simple-hypercore-protocol@2's protobuf
// encoder for every message type, and each side decodes the other's bytes to the same fields.
import { createRequire } from 'node:module'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  CancelCodec,
  CloseCodec,
  DataCodec,
  HaveCodec,
  type MessageCodec,
  OpenCodec,
  OptionsCodec,
  RequestCodec,
  StatusCodec,
  UnhaveCodec,
  UnwantCodec,
  WantCodec,
} from '../../src/index.js'
import { ALL_CASES } from '../helpers/arbitraries.js'
import { plain } from '../helpers/messages.js'

interface OriginalCodec {
  encode(m: unknown): Buffer
  decode(buf: Buffer): unknown
}

// simple-hypercore-protocol is a dependency of the original, resolved from its folder.
const localRequire = createRequire(import.meta.url)
const requireFromOriginal = createRequire(localRequire.resolve('hypercore-protocol'))
const originalMessages = requireFromOriginal('simple-hypercore-protocol/messages') as Record<
  string,
  OriginalCodec
>

const OURS: Record<string, MessageCodec<never, unknown>> = {
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

function encodeOurs(name: string, m: unknown): Buffer {
  const codec = OURS[name] as MessageCodec<unknown, unknown>
  const buf = Buffer.alloc(codec.encodingLength(m))
  codec.encode(m, buf, 0)
  return buf
}

describe('interop: message bodies against the original protobuf codec', () => {
  it('encodes every message type to the same bytes as the original', () => {
    fc.assert(
      fc.property(fc.oneof(...ALL_CASES), (c) => {
        const theirs = originalMessages[c.name].encode(c.input)
        expect(encodeOurs(c.name, c.input).toString('hex')).toBe(theirs.toString('hex'))
      }),
      { numRuns: 2000 },
    )
  })

  it('decodes the original bytes, and the original decodes ours, to the same fields', () => {
    fc.assert(
      fc.property(fc.oneof(...ALL_CASES), (c) => {
        const bytes = originalMessages[c.name].encode(c.input)
        const ours = OURS[c.name].decode(bytes, 0, bytes.byteLength)
        const theirs = originalMessages[c.name].decode(encodeOurs(c.name, c.input))
        expect(plain(ours)).toEqual(plain(theirs))
        expect(plain(ours)).toEqual(plain(c.decoded))
      }),
      { numRuns: 2000 },
    )
  })
})
