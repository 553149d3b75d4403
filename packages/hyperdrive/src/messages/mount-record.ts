// mountable-hypertrie@2's own Mount record (stored at the hidden key "mounts/<path>"):
// { key, localPath, version?, remotePath?, hash? }, as protocol-buffers writes it.
import { InvalidEncodingError } from '../errors.js'
import { ProtoReader, ProtoWriter, WIRE_BYTES, WIRE_VARINT } from './protobuf.js'

export interface MountRecord {
  key: Buffer
  localPath: string
  version: number
  remotePath: string
  hash: Buffer | null
}

export function encodeMountRecord(r: {
  key: Uint8Array
  localPath: string
  version?: number | null
  remotePath?: string | null
  hash?: Uint8Array | null
}): Buffer {
  const w = new ProtoWriter(64)
  w.tag(1, WIRE_BYTES).bytes(r.key)
  w.tag(2, WIRE_BYTES).string(r.localPath)
  if (r.version !== undefined && r.version !== null) w.tag(3, WIRE_VARINT).varint(r.version)
  if (r.remotePath !== undefined && r.remotePath !== null) w.tag(4, WIRE_BYTES).string(r.remotePath)
  if (r.hash !== undefined && r.hash !== null) w.tag(5, WIRE_BYTES).bytes(r.hash)
  return Buffer.from(w.finish())
}

export function decodeMountRecord(buf: Uint8Array): MountRecord {
  const r = new ProtoReader(buf)
  const rec: MountRecord = {
    key: Buffer.alloc(0),
    localPath: '',
    version: 0,
    remotePath: '',
    hash: null,
  }
  let hasKey = false
  let hasPath = false
  while (!r.done) {
    const [field, wire] = r.tag()
    switch (field) {
      case 1:
        r.expect(field, wire, WIRE_BYTES)
        rec.key = r.bytes()
        hasKey = true
        break
      case 2:
        r.expect(field, wire, WIRE_BYTES)
        rec.localPath = r.string()
        hasPath = true
        break
      case 3:
        r.expect(field, wire, WIRE_VARINT)
        rec.version = r.varint()
        break
      case 4:
        r.expect(field, wire, WIRE_BYTES)
        rec.remotePath = r.string()
        break
      case 5:
        r.expect(field, wire, WIRE_BYTES)
        rec.hash = r.bytes()
        break
      default:
        r.skip(wire)
    }
  }
  if (!hasKey || !hasPath) throw new InvalidEncodingError('Mount record without key or localPath')
  return rec
}
