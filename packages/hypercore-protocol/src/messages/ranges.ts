// Have (3), Unhave (4), Want (5), Unwant (6): block ranges a peer has, lost, wants or no longer wants.
import type { MessageCodec } from './codec.js'
import { isSet, requireField, requireUint } from './codec.js'
import type { Have, HaveInput, Unhave, UnhaveInput, Want, WantInput } from './types.js'
import {
  LENGTH_DELIMITED,
  VARINT,
  bytesFieldLength,
  expectWireType,
  missingField,
  reader,
  varintLength,
  writeBytesField,
  writeVarint,
} from './wire.js'

export const HaveCodec: MessageCodec<HaveInput, Have> = {
  encodingLength(m) {
    let n = 1 + varintLength(requireUint(requireField(m.start, 'Have', 'start'), 'Have', 'start'))
    if (isSet(m.length)) n += 1 + varintLength(requireUint(m.length, 'Have', 'length'))
    if (isSet(m.bitfield)) n += 1 + bytesFieldLength(m.bitfield)
    if (isSet(m.ack)) n += 2
    return n
  },
  encode(m, buf, offset) {
    buf[offset++] = 0x08
    offset = writeVarint(buf, offset, m.start)
    if (isSet(m.length)) {
      buf[offset++] = 0x10
      offset = writeVarint(buf, offset, m.length)
    }
    if (isSet(m.bitfield)) {
      buf[offset++] = 0x1a
      offset = writeBytesField(buf, offset, m.bitfield)
    }
    if (isSet(m.ack)) {
      buf[offset++] = 0x20
      buf[offset++] = m.ack ? 1 : 0
    }
    return offset
  },
  decode(buf, start, end) {
    const r = reader(buf, start, end)
    const m: Have = { start: 0, length: 1, bitfield: null, ack: false }
    let found = false
    while (!r.done) {
      const tag = r.tag()
      switch (tag >>> 3) {
        case 1:
          expectWireType(tag, VARINT, 'Have')
          m.start = r.varint()
          found = true
          break
        case 2:
          expectWireType(tag, VARINT, 'Have')
          m.length = r.varint()
          break
        case 3:
          expectWireType(tag, LENGTH_DELIMITED, 'Have')
          m.bitfield = r.bytes()
          break
        case 4:
          expectWireType(tag, VARINT, 'Have')
          m.ack = r.bool()
          break
        default:
          r.skip(tag & 7)
      }
    }
    if (!found) missingField('Have', 'start')
    return m
  },
}

/** Unhave, Want and Unwant share one layout: required start, optional length. */
function rangeCodec(name: string, defaultLength: number): MessageCodec<WantInput, Want> {
  return {
    encodingLength(m) {
      let n = 1 + varintLength(requireUint(requireField(m.start, name, 'start'), name, 'start'))
      if (isSet(m.length)) n += 1 + varintLength(requireUint(m.length, name, 'length'))
      return n
    },
    encode(m, buf, offset) {
      buf[offset++] = 0x08
      offset = writeVarint(buf, offset, m.start)
      if (isSet(m.length)) {
        buf[offset++] = 0x10
        offset = writeVarint(buf, offset, m.length)
      }
      return offset
    },
    decode(buf, start, end) {
      const r = reader(buf, start, end)
      const m = { start: 0, length: defaultLength }
      let found = false
      while (!r.done) {
        const tag = r.tag()
        switch (tag >>> 3) {
          case 1:
            expectWireType(tag, VARINT, name)
            m.start = r.varint()
            found = true
            break
          case 2:
            expectWireType(tag, VARINT, name)
            m.length = r.varint()
            break
          default:
            r.skip(tag & 7)
        }
      }
      if (!found) missingField(name, 'start')
      return m
    },
  }
}

/** `length` defaults to 1 as the schema says (`[default = 1]`). */
export const UnhaveCodec: MessageCodec<UnhaveInput, Unhave> = rangeCodec('Unhave', 1)
export const WantCodec: MessageCodec<WantInput, Want> = rangeCodec('Want', 0)
export const UnwantCodec: MessageCodec<WantInput, Want> = rangeCodec('Unwant', 0)
