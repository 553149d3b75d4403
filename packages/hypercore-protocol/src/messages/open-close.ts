// Open (type 0) and Close (type 10): the channel lifecycle messages.
import type { MessageCodec } from './codec.js'
import { isSet, requireField } from './codec.js'
import type { Close, CloseInput, Open, OpenInput } from './types.js'
import {
  LENGTH_DELIMITED,
  bytesFieldLength,
  expectWireType,
  missingField,
  reader,
  writeBytesField,
} from './wire.js'

export const OpenCodec: MessageCodec<OpenInput, Open> = {
  encodingLength(m) {
    let n = 1 + bytesFieldLength(requireField(m.discoveryKey, 'Open', 'discoveryKey'))
    if (isSet(m.capability)) n += 1 + bytesFieldLength(m.capability)
    return n
  },
  encode(m, buf, offset) {
    buf[offset++] = 0x0a
    offset = writeBytesField(buf, offset, requireField(m.discoveryKey, 'Open', 'discoveryKey'))
    if (isSet(m.capability)) {
      buf[offset++] = 0x12
      offset = writeBytesField(buf, offset, m.capability)
    }
    return offset
  },
  decode(buf, start, end) {
    const r = reader(buf, start, end)
    let discoveryKey: Buffer | null = null
    let capability: Buffer | null = null
    while (!r.done) {
      const tag = r.tag()
      switch (tag >>> 3) {
        case 1:
          expectWireType(tag, LENGTH_DELIMITED, 'Open')
          discoveryKey = r.bytes()
          break
        case 2:
          expectWireType(tag, LENGTH_DELIMITED, 'Open')
          capability = r.bytes()
          break
        default:
          r.skip(tag & 7)
      }
    }
    if (discoveryKey === null) missingField('Open', 'discoveryKey')
    return { discoveryKey, capability }
  },
}

export const CloseCodec: MessageCodec<CloseInput, Close> = {
  encodingLength(m) {
    return isSet(m.discoveryKey) ? 1 + bytesFieldLength(m.discoveryKey) : 0
  },
  encode(m, buf, offset) {
    if (isSet(m.discoveryKey)) {
      buf[offset++] = 0x0a
      offset = writeBytesField(buf, offset, m.discoveryKey)
    }
    return offset
  },
  decode(buf, start, end) {
    const r = reader(buf, start, end)
    let discoveryKey: Buffer | null = null
    while (!r.done) {
      const tag = r.tag()
      if (tag >>> 3 === 1) {
        expectWireType(tag, LENGTH_DELIMITED, 'Close')
        discoveryKey = r.bytes()
      } else r.skip(tag & 7)
    }
    return { discoveryKey }
  },
}
