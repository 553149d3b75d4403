// Request (7) and Cancel (8): asking for a block, and taking the ask back.
import type { MessageCodec } from './codec.js'
import { isSet, requireField, requireUint } from './codec.js'
import type { Cancel, CancelInput, Request, RequestInput } from './types.js'
import { VARINT, expectWireType, missingField, reader, varintLength, writeVarint } from './wire.js'

export const RequestCodec: MessageCodec<RequestInput, Request> = {
  encodingLength(m) {
    let n =
      1 + varintLength(requireUint(requireField(m.index, 'Request', 'index'), 'Request', 'index'))
    if (isSet(m.bytes)) n += 1 + varintLength(requireUint(m.bytes, 'Request', 'bytes'))
    if (isSet(m.hash)) n += 2
    if (isSet(m.nodes)) n += 1 + varintLength(requireUint(m.nodes, 'Request', 'nodes'))
    return n
  },
  encode(m, buf, offset) {
    buf[offset++] = 0x08
    offset = writeVarint(buf, offset, m.index)
    if (isSet(m.bytes)) {
      buf[offset++] = 0x10
      offset = writeVarint(buf, offset, m.bytes)
    }
    if (isSet(m.hash)) {
      buf[offset++] = 0x18
      buf[offset++] = m.hash ? 1 : 0
    }
    if (isSet(m.nodes)) {
      buf[offset++] = 0x20
      offset = writeVarint(buf, offset, m.nodes)
    }
    return offset
  },
  decode(buf, start, end) {
    const r = reader(buf, start, end)
    const m: Request = { index: 0, bytes: 0, hash: false, nodes: 0 }
    let found = false
    while (!r.done) {
      const tag = r.tag()
      switch (tag >>> 3) {
        case 1:
          expectWireType(tag, VARINT, 'Request')
          m.index = r.varint()
          found = true
          break
        case 2:
          expectWireType(tag, VARINT, 'Request')
          m.bytes = r.varint()
          break
        case 3:
          expectWireType(tag, VARINT, 'Request')
          m.hash = r.bool()
          break
        case 4:
          expectWireType(tag, VARINT, 'Request')
          m.nodes = r.varint()
          break
        default:
          r.skip(tag & 7)
      }
    }
    if (!found) missingField('Request', 'index')
    return m
  },
}

export const CancelCodec: MessageCodec<CancelInput, Cancel> = {
  encodingLength(m) {
    let n =
      1 + varintLength(requireUint(requireField(m.index, 'Cancel', 'index'), 'Cancel', 'index'))
    if (isSet(m.bytes)) n += 1 + varintLength(requireUint(m.bytes, 'Cancel', 'bytes'))
    if (isSet(m.hash)) n += 2
    return n
  },
  encode(m, buf, offset) {
    buf[offset++] = 0x08
    offset = writeVarint(buf, offset, m.index)
    if (isSet(m.bytes)) {
      buf[offset++] = 0x10
      offset = writeVarint(buf, offset, m.bytes)
    }
    if (isSet(m.hash)) {
      buf[offset++] = 0x18
      buf[offset++] = m.hash ? 1 : 0
    }
    return offset
  },
  decode(buf, start, end) {
    const r = reader(buf, start, end)
    const m: Cancel = { index: 0, bytes: 0, hash: false }
    let found = false
    while (!r.done) {
      const tag = r.tag()
      switch (tag >>> 3) {
        case 1:
          expectWireType(tag, VARINT, 'Cancel')
          m.index = r.varint()
          found = true
          break
        case 2:
          expectWireType(tag, VARINT, 'Cancel')
          m.bytes = r.varint()
          break
        case 3:
          expectWireType(tag, VARINT, 'Cancel')
          m.hash = r.bool()
          break
        default:
          r.skip(tag & 7)
      }
    }
    if (!found) missingField('Cancel', 'index')
    return m
  },
}
