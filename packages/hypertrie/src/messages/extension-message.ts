// The `Extension` protobuf of hypertrie@5's "hypertrie" feed extension (get, iterator, cache).
import { DecodeError } from '../errors.js'
import {
  ProtoReader,
  ProtoWriter,
  WIRE_BYTES,
  WIRE_VARINT,
  bytesFieldLength,
  uintFieldLength,
  varintLength,
} from './protobuf.js'

export interface ExtensionGet {
  head: number
  key: string
}
export interface ExtensionIterator {
  head: number
  key: string
  flags: number
  checkpoint: Buffer | null
}
export interface ExtensionCache {
  start: number
  end: number
  blocks: number[]
}
export interface ExtensionMessage {
  cache: ExtensionCache | null
  iterator: ExtensionIterator | null
  get: ExtensionGet | null
}

function getLength(g: ExtensionGet, key: Buffer): number {
  return uintFieldLength(1, g.head) + bytesFieldLength(2, key.length)
}

function iteratorLength(it: ExtensionIterator, key: Buffer): number {
  let n =
    uintFieldLength(1, it.head) + bytesFieldLength(2, key.length) + uintFieldLength(3, it.flags)
  if (it.checkpoint !== null) n += bytesFieldLength(4, it.checkpoint.length)
  return n
}

function cacheLength(c: ExtensionCache): number {
  let packed = 0
  for (const b of c.blocks) packed += varintLength(b)
  let n = uintFieldLength(1, c.start) + uintFieldLength(2, c.end)
  if (c.blocks.length) n += bytesFieldLength(3, packed)
  return n
}

export function encodeExtensionMessage(m: Partial<ExtensionMessage>): Buffer {
  const getKey = m.get ? Buffer.from(m.get.key, 'utf-8') : null
  const itKey = m.iterator ? Buffer.from(m.iterator.key, 'utf-8') : null
  let size = 0
  const cacheLen = m.cache ? cacheLength(m.cache) : 0
  const itLen = m.iterator && itKey ? iteratorLength(m.iterator, itKey) : 0
  const getLen = m.get && getKey ? getLength(m.get, getKey) : 0
  if (m.cache) size += bytesFieldLength(1, cacheLen)
  if (m.iterator) size += bytesFieldLength(2, itLen)
  if (m.get) size += bytesFieldLength(3, getLen)
  const w = new ProtoWriter(size)
  if (m.cache) {
    w.tag(1, WIRE_BYTES)
    w.varint(cacheLen)
    w.uint(1, m.cache.start)
    w.uint(2, m.cache.end)
    if (m.cache.blocks.length) {
      let packed = 0
      for (const b of m.cache.blocks) packed += varintLength(b)
      w.tag(3, WIRE_BYTES)
      w.varint(packed)
      for (const b of m.cache.blocks) w.varint(b)
    }
  }
  if (m.iterator && itKey) {
    w.tag(2, WIRE_BYTES)
    w.varint(itLen)
    w.uint(1, m.iterator.head)
    w.string(2, itKey)
    w.uint(3, m.iterator.flags)
    if (m.iterator.checkpoint !== null) w.bytes(4, m.iterator.checkpoint)
  }
  if (m.get && getKey) {
    w.tag(3, WIRE_BYTES)
    w.varint(getLen)
    w.uint(1, m.get.head)
    w.string(2, getKey)
  }
  return w.finish()
}

function decodeCache(r: ProtoReader): ExtensionCache {
  let start: number | null = null
  let end: number | null = null
  const blocks: number[] = []
  while (!r.done) {
    const [field, wire] = r.tag()
    if (field === 1 && wire === WIRE_VARINT) start = r.varint()
    else if (field === 2 && wire === WIRE_VARINT) end = r.varint()
    else if (field === 3 && wire === WIRE_BYTES) {
      const packed = r.message()
      while (!packed.done) blocks.push(packed.varint())
    } else if (field === 3 && wire === WIRE_VARINT) blocks.push(r.varint())
    else r.skip(wire)
  }
  if (start === null || end === null) throw new DecodeError('Cache message is missing start or end')
  return { start, end, blocks }
}

function decodeIterator(r: ProtoReader): ExtensionIterator {
  const it: ExtensionIterator = { head: 0, key: '', flags: 0, checkpoint: null }
  while (!r.done) {
    const [field, wire] = r.tag()
    if (field === 1 && wire === WIRE_VARINT) it.head = r.varint()
    else if (field === 2 && wire === WIRE_BYTES) it.key = r.string()
    else if (field === 3 && wire === WIRE_VARINT) it.flags = r.varint()
    else if (field === 4 && wire === WIRE_BYTES) it.checkpoint = r.bytes()
    else r.skip(wire)
  }
  return it
}

function decodeGet(r: ProtoReader): ExtensionGet {
  const g: ExtensionGet = { head: 0, key: '' }
  while (!r.done) {
    const [field, wire] = r.tag()
    if (field === 1 && wire === WIRE_VARINT) g.head = r.varint()
    else if (field === 2 && wire === WIRE_BYTES) g.key = r.string()
    else r.skip(wire)
  }
  return g
}

export function decodeExtensionMessage(buf: Uint8Array): ExtensionMessage {
  const r = new ProtoReader(buf)
  const m: ExtensionMessage = { cache: null, iterator: null, get: null }
  while (!r.done) {
    const [field, wire] = r.tag()
    if (field === 1 && wire === WIRE_BYTES) m.cache = decodeCache(r.message())
    else if (field === 2 && wire === WIRE_BYTES) m.iterator = decodeIterator(r.message())
    else if (field === 3 && wire === WIRE_BYTES) m.get = decodeGet(r.message())
    else r.skip(wire)
  }
  return m
}
