// Extension (type 15): not protobuf; the body is varint(extension id) ‖ payload bytes.
import type { MessageCodec } from './codec.js'
import { requireUint } from './codec.js'
import type { Extension } from './types.js'
import { reader, varintLength, writeVarint } from './wire.js'

export interface ExtensionInput {
  id: number
  message: Uint8Array
}

export const ExtensionCodec: MessageCodec<ExtensionInput, Extension> = {
  encodingLength(m) {
    return varintLength(requireUint(m.id, 'Extension', 'id')) + m.message.byteLength
  },
  encode(m, buf, offset) {
    offset = writeVarint(buf, offset, m.id)
    buf.set(m.message, offset)
    return offset + m.message.byteLength
  },
  decode(buf, start, end) {
    const r = reader(buf, start, end)
    const id = r.varint()
    return { id, message: buf.subarray(r.offset, end) }
  },
}
