// Options (type 1) and Status (type 2): per-channel settings a peer announces.
import type { MessageCodec } from './codec.js'
import { isSet } from './codec.js'
import type { Options, OptionsInput, Status, StatusInput } from './types.js'
import {
  LENGTH_DELIMITED,
  VARINT,
  expectWireType,
  reader,
  stringFieldLength,
  writeStringField,
} from './wire.js'

export const OptionsCodec: MessageCodec<OptionsInput, Options> = {
  encodingLength(m) {
    let n = 0
    if (isSet(m.extensions)) {
      for (const name of m.extensions) if (isSet(name)) n += 1 + stringFieldLength(name)
    }
    if (isSet(m.ack)) n += 2
    return n
  },
  encode(m, buf, offset) {
    if (isSet(m.extensions)) {
      for (const name of m.extensions) {
        if (!isSet(name)) continue
        buf[offset++] = 0x0a
        offset = writeStringField(buf, offset, name)
      }
    }
    if (isSet(m.ack)) {
      buf[offset++] = 0x10
      buf[offset++] = m.ack ? 1 : 0
    }
    return offset
  },
  decode(buf, start, end) {
    const r = reader(buf, start, end)
    const extensions: string[] = []
    let ack = false
    while (!r.done) {
      const tag = r.tag()
      switch (tag >>> 3) {
        case 1:
          expectWireType(tag, LENGTH_DELIMITED, 'Options')
          extensions.push(r.string())
          break
        case 2:
          expectWireType(tag, VARINT, 'Options')
          ack = r.bool()
          break
        default:
          r.skip(tag & 7)
      }
    }
    return { extensions, ack }
  },
}

export const StatusCodec: MessageCodec<StatusInput, Status> = {
  encodingLength(m) {
    return (isSet(m.uploading) ? 2 : 0) + (isSet(m.downloading) ? 2 : 0)
  },
  encode(m, buf, offset) {
    if (isSet(m.uploading)) {
      buf[offset++] = 0x08
      buf[offset++] = m.uploading ? 1 : 0
    }
    if (isSet(m.downloading)) {
      buf[offset++] = 0x10
      buf[offset++] = m.downloading ? 1 : 0
    }
    return offset
  },
  decode(buf, start, end) {
    const r = reader(buf, start, end)
    let uploading = false
    let downloading = false
    while (!r.done) {
      const tag = r.tag()
      switch (tag >>> 3) {
        case 1:
          expectWireType(tag, VARINT, 'Status')
          uploading = r.bool()
          break
        case 2:
          expectWireType(tag, VARINT, 'Status')
          downloading = r.bool()
          break
        default:
          r.skip(tag & 7)
      }
    }
    return { uploading, downloading }
  },
}
