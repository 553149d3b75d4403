// NoisePayload: the protobuf carried in every handshake message (the XSalsa20 nonce of its sender).
import type { MessageCodec } from './codec.js'
import { requireField } from './codec.js'
import type { NoisePayload } from './types.js'
import {
  LENGTH_DELIMITED,
  bytesFieldLength,
  expectWireType,
  missingField,
  reader,
  writeBytesField,
} from './wire.js'

export const NoisePayloadCodec: MessageCodec<NoisePayload, NoisePayload> = {
  encodingLength(m) {
    return 1 + bytesFieldLength(requireField(m.nonce, 'NoisePayload', 'nonce'))
  },
  encode(m, buf, offset) {
    buf[offset++] = 0x0a
    return writeBytesField(buf, offset, requireField(m.nonce, 'NoisePayload', 'nonce'))
  },
  decode(buf, start, end) {
    const r = reader(buf, start, end)
    let nonce: Buffer | null = null
    while (!r.done) {
      const tag = r.tag()
      if (tag >>> 3 === 1) {
        expectWireType(tag, LENGTH_DELIMITED, 'NoisePayload')
        nonce = r.bytes()
      } else r.skip(tag & 7)
    }
    if (nonce === null) missingField('NoisePayload', 'nonce')
    return { nonce }
  },
}
