// The dht-rpc@4 `Message` (one per UDP datagram). Fields are written in schema declaration order
// (11, 1, 2, 10, 3, 4, 5, 6, 7, 8, 9), and present-but-empty fields are written, as the original.

import { DecodeError } from '../errors.js'
import {
  ProtoReader,
  WIRE_BYTES,
  WIRE_VARINT,
  bytesFieldLength,
  varintLength,
  writeBytesField,
  writeVarintField,
} from './protobuf.js'

export const TYPE_QUERY = 1
export const TYPE_UPDATE = 2
export const TYPE_RESPONSE = 3

/** The version v4 senders put in every message. */
export const VERSION = 1

export interface Message {
  version: number
  type: number
  rid: number
  to: Buffer | null
  id: Buffer | null
  target: Buffer | null
  closerNodes: Buffer | null
  roundtripToken: Buffer | null
  command: string
  error: string
  value: Buffer | null
}

/** What a sender fills in; absent (undefined/null) fields are not written. */
export interface MessageInput {
  version?: number | null
  type: number
  rid: number
  to?: Uint8Array | null
  id?: Uint8Array | null
  target?: Uint8Array | null
  closerNodes?: Uint8Array | null
  roundtripToken?: Uint8Array | null
  command?: string | null
  error?: string | null
  value?: Uint8Array | null
}

// tag = field << 3 | wire type
const T_VERSION = 0x58
const T_TYPE = 0x08
const T_RID = 0x10
const T_TO = 0x52
const T_ID = 0x1a
const T_TARGET = 0x22
const T_CLOSER = 0x2a
const T_TOKEN = 0x32
const T_COMMAND = 0x3a
const T_ERROR = 0x42
const T_VALUE = 0x4a

function present<T>(v: T | null | undefined): v is T {
  return v !== null && v !== undefined
}

export function encodingLength(m: MessageInput): number {
  let len = 2 + varintLength(m.type) + varintLength(m.rid)
  if (present(m.version)) len += 1 + varintLength(m.version)
  if (present(m.to)) len += bytesFieldLength(1, m.to.length)
  if (present(m.id)) len += bytesFieldLength(1, m.id.length)
  if (present(m.target)) len += bytesFieldLength(1, m.target.length)
  if (present(m.closerNodes)) len += bytesFieldLength(1, m.closerNodes.length)
  if (present(m.roundtripToken)) len += bytesFieldLength(1, m.roundtripToken.length)
  if (present(m.command)) len += bytesFieldLength(1, Buffer.byteLength(m.command))
  if (present(m.error)) len += bytesFieldLength(1, Buffer.byteLength(m.error))
  if (present(m.value)) len += bytesFieldLength(1, m.value.length)
  return len
}

export function encodeMessage(m: MessageInput): Buffer {
  const buf = Buffer.allocUnsafe(encodingLength(m))
  let o = 0
  if (present(m.version)) o = writeVarintField(buf, o, T_VERSION, m.version)
  o = writeVarintField(buf, o, T_TYPE, m.type)
  o = writeVarintField(buf, o, T_RID, m.rid)
  if (present(m.to)) o = writeBytesField(buf, o, T_TO, m.to)
  if (present(m.id)) o = writeBytesField(buf, o, T_ID, m.id)
  if (present(m.target)) o = writeBytesField(buf, o, T_TARGET, m.target)
  if (present(m.closerNodes)) o = writeBytesField(buf, o, T_CLOSER, m.closerNodes)
  if (present(m.roundtripToken)) o = writeBytesField(buf, o, T_TOKEN, m.roundtripToken)
  if (present(m.command)) o = writeBytesField(buf, o, T_COMMAND, Buffer.from(m.command))
  if (present(m.error)) o = writeBytesField(buf, o, T_ERROR, Buffer.from(m.error))
  if (present(m.value)) o = writeBytesField(buf, o, T_VALUE, m.value)
  if (o !== buf.length) throw new DecodeError('message length mismatch')
  return buf
}

/**
 * Decodes one datagram. Unknown fields are skipped by wire type; a missing `type` or `rid`, a
 * known field with the wrong wire type, or any overrun throws DecodeError (the datagram is then
 * dropped, as the original drops whatever its decoder throws on).
 */
export function decodeMessage(buf: Uint8Array): Message {
  const r = new ProtoReader(buf)
  const m: Message = {
    version: 0,
    type: 0,
    rid: 0,
    to: null,
    id: null,
    target: null,
    closerNodes: null,
    roundtripToken: null,
    command: '',
    error: '',
    value: null,
  }
  let hasType = false
  let hasRid = false
  while (!r.done) {
    const tag = r.varint()
    const field = Math.floor(tag / 8)
    const wire = tag & 7
    const expected = fieldWireType(field)
    if (expected === -1 || expected !== wire) {
      // protocol-buffers skips unknown fields; a known field with another wire type is garbage
      if (expected !== -1) throw new DecodeError(`field ${field} has wire type ${wire}`)
      r.skip(wire)
      continue
    }
    switch (field) {
      case 11:
        m.version = r.varint()
        break
      case 1:
        m.type = r.varint()
        hasType = true
        break
      case 2:
        m.rid = r.varint()
        hasRid = true
        break
      case 10:
        m.to = r.bytes()
        break
      case 3:
        m.id = r.bytes()
        break
      case 4:
        m.target = r.bytes()
        break
      case 5:
        m.closerNodes = r.bytes()
        break
      case 6:
        m.roundtripToken = r.bytes()
        break
      case 7:
        m.command = r.string()
        break
      case 8:
        m.error = r.string()
        break
      case 9:
        m.value = r.bytes()
        break
    }
  }
  if (!hasType) throw new DecodeError('message without type')
  if (!hasRid) throw new DecodeError('message without rid')
  return m
}

function fieldWireType(field: number): number {
  switch (field) {
    case 1:
    case 2:
    case 11:
      return WIRE_VARINT
    case 3:
    case 4:
    case 5:
    case 6:
    case 7:
    case 8:
    case 9:
    case 10:
      return WIRE_BYTES
    default:
      return -1
  }
}
