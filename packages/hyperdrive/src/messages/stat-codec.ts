// hyperdrive-schemas@2 `Stat` and `Mount` messages, byte-for-byte as protocol-buffers@4 writes them.
import { InvalidEncodingError } from '../errors.js'
import { ProtoReader, ProtoWriter, WIRE_BYTES, WIRE_VARINT } from './protobuf.js'

/** The `Mount` of a Stat (hyperdrive-schemas' message, not mountable-hypertrie's record). */
export interface StatMountFields {
  key: Uint8Array
  version?: number | null
  hash?: Uint8Array | null
  hypercore?: boolean | null
}

export interface DecodedMount {
  key: Buffer
  version: number
  hash: Buffer | null
  hypercore: boolean
}

/** User metadata: values are bytes (strings are written as UTF-8); null keeps a key-only entry. */
export type StatMetadata = Record<string, Uint8Array | string | null>

export interface StatFields {
  mode: number
  uid?: number | null
  gid?: number | null
  size?: number | null
  blocks?: number | null
  offset?: number | null
  byteOffset?: number | null
  mtime?: number | Date | null
  ctime?: number | Date | null
  linkname?: string | null
  mount?: StatMountFields | null
  metadata?: StatMetadata | null
}

export interface DecodedStat {
  mode: number
  uid: number
  gid: number
  size: number
  blocks: number
  offset: number
  byteOffset: number
  mtime: number
  ctime: number
  linkname: string
  mount: DecodedMount | null
  metadata: Record<string, Buffer | null>
}

// protocol-buffers writes a field when it is neither null/undefined nor NaN.
function isDefined<T>(v: T | null | undefined): v is T {
  return v !== null && v !== undefined && !(typeof v === 'number' && Number.isNaN(v))
}

function toNumber(v: number | Date): number {
  return typeof v === 'number' ? v : v.getTime()
}

function checkUint(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 0 || v > Number.MAX_SAFE_INTEGER) {
    throw new InvalidEncodingError(`Stat field ${name} must be a non-negative integer, got ${v}`)
  }
  return v
}

export function encodeMount(mount: StatMountFields, w = new ProtoWriter(48)): ProtoWriter {
  if (!isDefined(mount.key)) throw new InvalidEncodingError('Mount key is required')
  w.tag(1, WIRE_BYTES).bytes(mount.key)
  if (isDefined(mount.version)) w.tag(2, WIRE_VARINT).varint(checkUint('version', mount.version))
  if (isDefined(mount.hash)) w.tag(3, WIRE_BYTES).bytes(mount.hash)
  if (isDefined(mount.hypercore)) w.tag(4, WIRE_VARINT).varint(mount.hypercore ? 1 : 0)
  return w
}

/** Encodes a Stat: fields in schema order, metadata entries in JS object key order. */
export function encodeStat(stat: StatFields): Buffer {
  if (!isDefined(stat.mode)) throw new InvalidEncodingError('Stat mode is required')
  const w = new ProtoWriter(64)
  w.tag(1, WIRE_VARINT).varint(checkUint('mode', stat.mode))
  const numbers: [number, string, number | Date | null | undefined][] = [
    [2, 'uid', stat.uid],
    [3, 'gid', stat.gid],
    [4, 'size', stat.size],
    [5, 'blocks', stat.blocks],
    [6, 'offset', stat.offset],
    [7, 'byteOffset', stat.byteOffset],
    [8, 'mtime', stat.mtime],
    [9, 'ctime', stat.ctime],
  ]
  for (const [field, name, value] of numbers) {
    if (!isDefined(value)) continue
    const n = toNumber(value)
    if (Number.isNaN(n)) continue
    w.tag(field, WIRE_VARINT).varint(checkUint(name, n))
  }
  if (isDefined(stat.linkname)) w.tag(10, WIRE_BYTES).string(stat.linkname)
  if (isDefined(stat.mount)) w.tag(11, WIRE_BYTES).bytes(encodeMount(stat.mount).finish())
  if (isDefined(stat.metadata)) {
    for (const key of Object.keys(stat.metadata)) {
      const value = stat.metadata[key]
      const entry = new ProtoWriter(key.length + 16)
      entry.tag(1, WIRE_BYTES).string(key)
      if (isDefined(value)) {
        entry.tag(2, WIRE_BYTES)
        if (typeof value === 'string') entry.string(value)
        else entry.bytes(value)
      }
      w.tag(12, WIRE_BYTES).bytes(entry.finish())
    }
  }
  // Its own small ArrayBuffer, not a slice of Node's shared 8 KiB pool: the trie keeps Stat
  // values in its node cache, and a pooled slice would keep the whole pool slab alive.
  const bytes = w.finish()
  const out = Buffer.from(new ArrayBuffer(bytes.length))
  out.set(bytes)
  return out
}

export function decodeMount(buf: Uint8Array, start = 0, end = buf.length): DecodedMount {
  const r = new ProtoReader(buf, start, end)
  let key: Buffer | null = null
  const mount: DecodedMount = { key: Buffer.alloc(0), version: 0, hash: null, hypercore: false }
  while (!r.done) {
    const [field, wire] = r.tag()
    switch (field) {
      case 1:
        r.expect(field, wire, WIRE_BYTES)
        key = r.bytes()
        break
      case 2:
        r.expect(field, wire, WIRE_VARINT)
        mount.version = r.varint()
        break
      case 3:
        r.expect(field, wire, WIRE_BYTES)
        mount.hash = r.bytes()
        break
      case 4:
        r.expect(field, wire, WIRE_VARINT)
        mount.hypercore = r.bool()
        break
      default:
        r.skip(wire)
    }
  }
  if (key === null) throw new InvalidEncodingError('Mount without a key')
  mount.key = key
  return mount
}

function decodeMetadataEntry(r: ProtoReader, start: number, end: number): [string, Buffer | null] {
  const e = new ProtoReader(r.buf, start, end)
  let key: string | null = null
  let value: Buffer | null = null
  while (!e.done) {
    const [field, wire] = e.tag()
    if (field === 1) {
      e.expect(field, wire, WIRE_BYTES)
      key = e.string()
    } else if (field === 2) {
      e.expect(field, wire, WIRE_BYTES)
      value = e.bytes()
    } else {
      e.skip(wire)
    }
  }
  if (key === null) throw new InvalidEncodingError('Stat metadata entry without a key')
  return [key, value]
}

/** Decodes a Stat; missing fields get the originals' defaults (0, '', null, {}). */
export function decodeStat(buf: Uint8Array): DecodedStat {
  const r = new ProtoReader(buf)
  const stat: DecodedStat = {
    mode: 0,
    uid: 0,
    gid: 0,
    size: 0,
    blocks: 0,
    offset: 0,
    byteOffset: 0,
    mtime: 0,
    ctime: 0,
    linkname: '',
    mount: null,
    // A null prototype so a hostile "__proto__" key is just a key.
    metadata: Object.create(null) as Record<string, Buffer | null>,
  }
  let hasMode = false
  while (r.pos < r.end) {
    // The tag read in place (no [field, wire] pair per field: Stats are decoded on every stat).
    const prefix = r.varint()
    const field = Math.floor(prefix / 8)
    const wire = prefix & 7
    switch (field) {
      case 1:
        r.expect(field, wire, WIRE_VARINT)
        stat.mode = r.varint()
        hasMode = true
        break
      case 2:
      case 3:
      case 4:
      case 5:
      case 6:
      case 7:
      case 8:
      case 9: {
        r.expect(field, wire, WIRE_VARINT)
        const v = r.varint()
        if (field === 2) stat.uid = v
        else if (field === 3) stat.gid = v
        else if (field === 4) stat.size = v
        else if (field === 5) stat.blocks = v
        else if (field === 6) stat.offset = v
        else if (field === 7) stat.byteOffset = v
        else if (field === 8) stat.mtime = v
        else stat.ctime = v
        break
      }
      case 10:
        r.expect(field, wire, WIRE_BYTES)
        stat.linkname = r.string()
        break
      case 11: {
        r.expect(field, wire, WIRE_BYTES)
        const [start, end] = r.lengthDelimited()
        stat.mount = decodeMount(r.buf, start, end)
        break
      }
      case 12: {
        r.expect(field, wire, WIRE_BYTES)
        const [start, end] = r.lengthDelimited()
        const [key, value] = decodeMetadataEntry(r, start, end)
        stat.metadata[key] = value
        break
      }
      default:
        r.skip(wire)
    }
  }
  if (!hasMode) throw new InvalidEncodingError('Stat without a mode')
  return stat
}
