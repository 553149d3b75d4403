// mountable-hypertrie@2's `Mount` protobuf: the value of a hidden `mounts/<path>` record.
import { DecodeError } from '../errors.js'
import {
  ProtoReader,
  ProtoWriter,
  WIRE_BYTES,
  WIRE_VARINT,
  bytesFieldLength,
  uintFieldLength,
} from './protobuf.js'

export interface MountMessage {
  key: Buffer
  localPath: string
  /** Pinned checkout version; null when the mount follows the latest version. */
  version: number | null
  remotePath: string | null
  hash: Buffer | null
}

export function encodeMountMessage(m: MountMessage): Buffer {
  const local = Buffer.from(m.localPath, 'utf-8')
  const remote = m.remotePath === null ? null : Buffer.from(m.remotePath, 'utf-8')
  let size = bytesFieldLength(1, m.key.length) + bytesFieldLength(2, local.length)
  if (m.version !== null) size += uintFieldLength(3, m.version)
  if (remote !== null) size += bytesFieldLength(4, remote.length)
  if (m.hash !== null) size += bytesFieldLength(5, m.hash.length)
  const w = new ProtoWriter(size)
  w.bytes(1, m.key)
  w.string(2, local)
  if (m.version !== null) w.uint(3, m.version)
  if (remote !== null) w.string(4, remote)
  if (m.hash !== null) w.bytes(5, m.hash)
  return w.finish()
}

export function decodeMountMessage(buf: Uint8Array): MountMessage {
  const r = new ProtoReader(buf)
  const m: MountMessage = {
    key: Buffer.alloc(0),
    localPath: '',
    version: null,
    remotePath: null,
    hash: null,
  }
  let hasKey = false
  let hasLocal = false
  while (!r.done) {
    const [field, wire] = r.tag()
    if (field === 1 && wire === WIRE_BYTES) {
      m.key = r.bytes()
      hasKey = true
    } else if (field === 2 && wire === WIRE_BYTES) {
      m.localPath = r.string()
      hasLocal = true
    } else if (field === 3 && wire === WIRE_VARINT) m.version = r.varint()
    else if (field === 4 && wire === WIRE_BYTES) m.remotePath = r.string()
    else if (field === 5 && wire === WIRE_BYTES) m.hash = r.bytes()
    else r.skip(wire)
  }
  if (!hasKey || !hasLocal) throw new DecodeError('Mount message is missing key or localPath')
  return m
}
