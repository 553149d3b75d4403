// Data (type 9): a block, or a hash-only answer, with the merkle nodes and signature that prove it.
// Encoding is split in head (index, value key and length), value, tail (nodes, signature) so the
// stream can encrypt a large value straight from the caller's buffer into the frame, no copy.
import type { MessageCodec } from './codec.js'
import { isSet, requireField, requireUint } from './codec.js'
import type { Data, DataInput, DataNode, DataNodeInput } from './types.js'
import {
  LENGTH_DELIMITED,
  VARINT,
  bytesFieldLength,
  expectWireType,
  missingField,
  nestedReader,
  reader,
  varintLength,
  writeBytesField,
  writeVarint,
} from './wire.js'

function nodeLength(node: DataNodeInput): number {
  return (
    1 +
    varintLength(
      requireUint(requireField(node.index, 'Data.Node', 'index'), 'Data.Node', 'index'),
    ) +
    1 +
    bytesFieldLength(requireField(node.hash, 'Data.Node', 'hash')) +
    1 +
    varintLength(requireUint(requireField(node.size, 'Data.Node', 'size'), 'Data.Node', 'size'))
  )
}

function decodeNode(buf: Buffer, start: number, end: number): DataNode {
  const r = nestedReader(buf, start, end)
  let index = -1
  let hash: Buffer | null = null
  let size = -1
  while (!r.done) {
    const tag = r.tag()
    switch (tag >>> 3) {
      case 1:
        expectWireType(tag, VARINT, 'Data.Node')
        index = r.varint()
        break
      case 2:
        expectWireType(tag, LENGTH_DELIMITED, 'Data.Node')
        hash = r.bytes()
        break
      case 3:
        expectWireType(tag, VARINT, 'Data.Node')
        size = r.varint()
        break
      default:
        r.skip(tag & 7)
    }
  }
  if (index === -1) missingField('Data.Node', 'index')
  if (hash === null) missingField('Data.Node', 'hash')
  if (size === -1) missingField('Data.Node', 'size')
  return { index, hash, size }
}

/** Bytes of index + value key/length prefix (everything before the value bytes). */
export function dataHeadLength(m: DataInput): number {
  let n = 1 + varintLength(requireUint(requireField(m.index, 'Data', 'index'), 'Data', 'index'))
  if (isSet(m.value)) n += 1 + varintLength(m.value.byteLength)
  return n
}

/** Bytes of nodes + signature (everything after the value bytes). */
export function dataTailLength(m: DataInput): number {
  let n = 0
  if (isSet(m.nodes)) {
    for (const node of m.nodes) {
      if (!isSet(node)) continue
      const len = nodeLength(node)
      n += 1 + varintLength(len) + len
    }
  }
  if (isSet(m.signature)) n += 1 + bytesFieldLength(m.signature)
  return n
}

export function encodeDataHead(m: DataInput, buf: Uint8Array, offset: number): number {
  buf[offset++] = 0x08
  offset = writeVarint(buf, offset, m.index)
  if (isSet(m.value)) {
    buf[offset++] = 0x12
    offset = writeVarint(buf, offset, m.value.byteLength)
  }
  return offset
}

export function encodeDataTail(m: DataInput, buf: Uint8Array, offset: number): number {
  if (isSet(m.nodes)) {
    for (const node of m.nodes) {
      if (!isSet(node)) continue
      buf[offset++] = 0x1a
      offset = writeVarint(buf, offset, nodeLength(node))
      buf[offset++] = 0x08
      offset = writeVarint(buf, offset, node.index)
      buf[offset++] = 0x12
      offset = writeBytesField(buf, offset, node.hash)
      buf[offset++] = 0x18
      offset = writeVarint(buf, offset, node.size)
    }
  }
  if (isSet(m.signature)) {
    buf[offset++] = 0x22
    offset = writeBytesField(buf, offset, m.signature)
  }
  return offset
}

export const DataCodec: MessageCodec<DataInput, Data> = {
  encodingLength(m) {
    return dataHeadLength(m) + (isSet(m.value) ? m.value.byteLength : 0) + dataTailLength(m)
  },
  encode(m, buf, offset) {
    offset = encodeDataHead(m, buf, offset)
    if (isSet(m.value)) {
      buf.set(m.value, offset)
      offset += m.value.byteLength
    }
    return encodeDataTail(m, buf, offset)
  },
  decode(buf, start, end) {
    // The hot path of replication: switch on whole keys (field << 3 | wire type) so the common
    // case costs one comparison; a known field with another wire type is rejected below.
    const r = reader(buf, start, end)
    const m: Data = { index: 0, value: null, nodes: [], signature: null }
    let found = false
    while (r.offset < r.end) {
      const tag = r.tag()
      switch (tag) {
        case 0x08:
          m.index = r.varint()
          found = true
          break
        case 0x12:
          m.value = r.bytes()
          break
        case 0x1a: {
          const nodeStart = r.embedded()
          m.nodes.push(decodeNode(buf, nodeStart, r.offset))
          break
        }
        case 0x22:
          m.signature = r.bytes()
          break
        default:
          if (tag >>> 3 >= 1 && tag >>> 3 <= 4) {
            expectWireType(tag, tag >>> 3 === 1 ? VARINT : LENGTH_DELIMITED, 'Data')
          }
          r.skip(tag & 7)
      }
    }
    if (!found) missingField('Data', 'index')
    return m
  },
}
