// Random well-framed messages a hostile peer sends on a channel (for the fuzz tests).
import type { Channel } from '@hyperstack/hypercore-protocol'
import fc from 'fast-check'
import { encodeRle } from '../src/bitfield-rle.js'

/** Numbers as a hostile peer picks them: small, on page and word boundaries, and huge. */
const number = fc.oneof(
  fc.nat(40),
  fc.constantFrom(8191, 8192, 2 ** 20, 2 ** 32 - 1, 2 ** 32, 2 ** 40 - 1, 2 ** 40, 2 ** 52),
  fc.constant(Number.MAX_SAFE_INTEGER),
  fc.nat(2 ** 40),
)
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined })
const bytes = fc.uint8Array({ maxLength: 80 })
const bitfield = fc.oneof(
  bytes,
  bytes.map((b) => encodeRle(b)),
)

export type Send = (channel: Channel) => void

const dataNodes = fc.array(
  fc.record({
    index: number,
    hash: fc.oneof(fc.uint8Array({ minLength: 32, maxLength: 32 }), bytes),
    size: number,
  }),
  { maxLength: 6 },
)
const signature = fc.oneof(fc.uint8Array({ minLength: 64, maxLength: 64 }), bytes)

/** How the peer answers each request: a block of random bytes, nodes and signature. */
export const reply = fc.record({
  value: maybe(bytes),
  nodes: maybe(dataNodes),
  signature: maybe(signature),
})
export type Reply = typeof reply extends fc.Arbitrary<infer R> ? R : never

/** One message of any of the ten types a channel carries, with hostile fields. */
export const message: fc.Arbitrary<Send> = fc.oneof(
  fc
    .record({
      start: number,
      length: maybe(number),
      bitfield: maybe(bitfield),
      ack: maybe(fc.boolean()),
    })
    .map((m) => (c: Channel) => c.have(m)),
  fc.record({ start: number, length: maybe(number) }).map((m) => (c: Channel) => c.unhave(m)),
  fc.record({ start: number, length: maybe(number) }).map((m) => (c: Channel) => c.want(m)),
  fc.record({ start: number, length: maybe(number) }).map((m) => (c: Channel) => c.unwant(m)),
  fc
    .record({
      index: number,
      bytes: maybe(number),
      hash: maybe(fc.boolean()),
      nodes: maybe(number),
    })
    .map((m) => (c: Channel) => c.request(m)),
  fc
    .record({ index: number, bytes: maybe(number), hash: maybe(fc.boolean()) })
    .map((m) => (c: Channel) => c.cancel(m)),
  fc
    .record({
      index: number,
      value: maybe(bytes),
      nodes: maybe(dataNodes),
      signature: maybe(signature),
    })
    .map((m) => (c: Channel) => c.data(m)),
  fc
    .record({ uploading: maybe(fc.boolean()), downloading: maybe(fc.boolean()) })
    .map((m) => (c: Channel) => c.status(m)),
  fc
    .record({ extensions: maybe(fc.array(fc.string({ maxLength: 12 }), { maxLength: 4 })) })
    .map((m) => (c: Channel) => c.options(m)),
  fc
    .record({ id: fc.nat(6), payload: bytes })
    .map((m) => (c: Channel) => c.extension(m.id, m.payload)),
)
