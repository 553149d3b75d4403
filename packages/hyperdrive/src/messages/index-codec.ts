// hyperdrive-schemas@2 `Index` message (`{ type, content }`); the drive never writes it, but the
// schema ships it, so we read and write it the same way for completeness.
import { InvalidEncodingError } from '../errors.js'
import { ProtoReader, ProtoWriter, WIRE_BYTES } from './protobuf.js'

export interface IndexMessage {
  type: string
  content: Buffer | null
}

export function encodeIndex(msg: { type: string; content?: Uint8Array | null }): Buffer {
  const w = new ProtoWriter(16 + (msg.content ? msg.content.length : 0))
  w.tag(1, WIRE_BYTES).string(msg.type)
  if (msg.content !== null && msg.content !== undefined) w.tag(2, WIRE_BYTES).bytes(msg.content)
  return Buffer.from(w.finish())
}

export function decodeIndex(buf: Uint8Array): IndexMessage {
  const r = new ProtoReader(buf)
  let type: string | null = null
  let content: Buffer | null = null
  while (!r.done) {
    const [field, wire] = r.tag()
    if (field === 1) {
      r.expect(field, wire, WIRE_BYTES)
      type = r.string()
    } else if (field === 2) {
      r.expect(field, wire, WIRE_BYTES)
      content = r.bytes()
    } else {
      r.skip(wire)
    }
  }
  if (type === null) throw new InvalidEncodingError('Index without a type')
  return { type, content }
}
