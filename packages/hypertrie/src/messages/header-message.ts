// The `Header` protobuf of block 0 (DEP-0007): type "hypertrie", opaque metadata, optional subtype.
import { DecodeError } from '../errors.js'
import { ProtoReader, ProtoWriter, WIRE_BYTES, bytesFieldLength } from './protobuf.js'

export interface HeaderMessage {
  type: string
  metadata: Buffer | null
  /** Absent (`null`) for plain hypertrie; "hyperdrive" or "mountable-hypertrie" otherwise. */
  subtype: string | null
}

export function encodeHeaderMessage(h: HeaderMessage): Buffer {
  const type = Buffer.from(h.type, 'utf-8')
  const subtype = h.subtype === null ? null : Buffer.from(h.subtype, 'utf-8')
  let size = bytesFieldLength(1, type.length)
  if (h.metadata !== null) size += bytesFieldLength(2, h.metadata.length)
  if (subtype !== null) size += bytesFieldLength(3, subtype.length)
  const w = new ProtoWriter(size)
  w.string(1, type)
  if (h.metadata !== null) w.bytes(2, h.metadata)
  if (subtype !== null) w.string(3, subtype)
  return w.finish()
}

/** Absent fields decode as protocol-buffers does: metadata null, subtype "". */
export function decodeHeaderMessage(buf: Uint8Array): HeaderMessage {
  const r = new ProtoReader(buf)
  let type: string | null = null
  let metadata: Buffer | null = null
  let subtype = ''
  while (!r.done) {
    const [field, wire] = r.tag()
    if (field === 1) {
      r.expectWire(wire, WIRE_BYTES, 'type')
      type = r.string()
    } else if (field === 2) {
      r.expectWire(wire, WIRE_BYTES, 'metadata')
      metadata = r.bytes()
    } else if (field === 3) {
      r.expectWire(wire, WIRE_BYTES, 'subtype')
      subtype = r.string()
    } else {
      r.skip(wire)
    }
  }
  if (type === null) throw new DecodeError('Header message is missing its required type')
  return { type, metadata, subtype }
}
