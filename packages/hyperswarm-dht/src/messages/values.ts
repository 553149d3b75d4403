// Command payloads carried in Message.value: dht-rpc@4's Holepunch and @hyperswarm/dht@4's
// PeersInput, PeersOutput and Mutable (proto2, all fields optional, written when not null).

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

export interface PeersInput {
  port?: number | null
  localAddress?: Uint8Array | null
  unannounce?: boolean | null
}

export interface PeersOutput {
  peers?: Uint8Array | null
  localPeers?: Uint8Array | null
}

export interface MutableRecord {
  value?: Uint8Array | null
  signature?: Uint8Array | null
  seq?: number | null
  salt?: Uint8Array | null
}

export interface Holepunch {
  from?: Uint8Array | null
  to?: Uint8Array | null
}

type FieldSpec =
  | { no: number; kind: 'varint' | 'bool'; key: string }
  | { no: number; kind: 'bytes'; key: string }

/** A tiny table-driven codec: fields are written in the order listed (= declaration order). */
function codec<T extends object>(fields: FieldSpec[], defaults: () => T) {
  const byNo = new Map<number, FieldSpec>()
  for (const f of fields) byNo.set(f.no, f)

  function encodingLength(obj: T): number {
    const rec = obj as Record<string, unknown>
    let len = 0
    for (const f of fields) {
      const v = rec[f.key]
      if (v === null || v === undefined) continue
      if (f.kind === 'bytes') len += bytesFieldLength(1, (v as Uint8Array).length)
      else len += 1 + varintLength(f.kind === 'bool' ? 1 : (v as number))
    }
    return len
  }

  function encode(obj: T): Buffer {
    const rec = obj as Record<string, unknown>
    const buf = Buffer.allocUnsafe(encodingLength(obj))
    let o = 0
    for (const f of fields) {
      const v = rec[f.key]
      if (v === null || v === undefined) continue
      if (f.kind === 'bytes') o = writeBytesField(buf, o, (f.no << 3) | WIRE_BYTES, v as Uint8Array)
      else if (f.kind === 'bool') o = writeVarintField(buf, o, f.no << 3, v ? 1 : 0)
      else o = writeVarintField(buf, o, f.no << 3, v as number)
    }
    return buf
  }

  function decode(buf: Uint8Array): T {
    const out = defaults() as Record<string, unknown>
    const r = new ProtoReader(buf)
    while (!r.done) {
      const tag = r.varint()
      const f = byNo.get(Math.floor(tag / 8))
      const wire = tag & 7
      if (!f) {
        r.skip(wire)
        continue
      }
      const want = f.kind === 'bytes' ? WIRE_BYTES : WIRE_VARINT
      if (wire !== want) throw new DecodeError(`field ${f.no} has wire type ${wire}`)
      if (f.kind === 'bytes') out[f.key] = r.bytes()
      else if (f.kind === 'bool') out[f.key] = r.varint() !== 0
      else out[f.key] = r.varint()
    }
    return out as T
  }

  return { encode, decode, encodingLength }
}

export interface DecodedPeersInput {
  port: number
  localAddress: Buffer | null
  unannounce: boolean
}
export interface DecodedPeersOutput {
  peers: Buffer | null
  localPeers: Buffer | null
}
export interface DecodedMutable {
  value: Buffer | null
  signature: Buffer | null
  seq: number
  salt: Buffer | null
}
export interface DecodedHolepunch {
  from: Buffer | null
  to: Buffer | null
}

const peersInput = codec<PeersInput>(
  [
    { no: 1, kind: 'varint', key: 'port' },
    { no: 2, kind: 'bytes', key: 'localAddress' },
    { no: 3, kind: 'bool', key: 'unannounce' },
  ],
  () => ({ port: 0, localAddress: null, unannounce: false }),
)
const peersOutput = codec<PeersOutput>(
  [
    { no: 1, kind: 'bytes', key: 'peers' },
    { no: 2, kind: 'bytes', key: 'localPeers' },
  ],
  () => ({ peers: null, localPeers: null }),
)
const mutable = codec<MutableRecord>(
  [
    { no: 1, kind: 'bytes', key: 'value' },
    { no: 2, kind: 'bytes', key: 'signature' },
    { no: 3, kind: 'varint', key: 'seq' },
    { no: 4, kind: 'bytes', key: 'salt' },
  ],
  () => ({ value: null, signature: null, seq: 0, salt: null }),
)
const holepunch = codec<Holepunch>(
  [
    { no: 2, kind: 'bytes', key: 'from' },
    { no: 3, kind: 'bytes', key: 'to' },
  ],
  () => ({ from: null, to: null }),
)

export const encodePeersInput = (v: PeersInput): Buffer => peersInput.encode(v)
export const decodePeersInput = (b: Uint8Array): DecodedPeersInput =>
  peersInput.decode(b) as DecodedPeersInput
export const encodePeersOutput = (v: PeersOutput): Buffer => peersOutput.encode(v)
export const decodePeersOutput = (b: Uint8Array): DecodedPeersOutput =>
  peersOutput.decode(b) as DecodedPeersOutput
export const encodeMutable = (v: MutableRecord): Buffer => mutable.encode(v)
export const decodeMutable = (b: Uint8Array): DecodedMutable => mutable.decode(b) as DecodedMutable
export const encodeHolepunch = (v: Holepunch): Buffer => holepunch.encode(v)
export const decodeHolepunch = (b: Uint8Array): DecodedHolepunch =>
  holepunch.decode(b) as DecodedHolepunch
