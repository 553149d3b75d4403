// Tags: hidden trie keys "hyperdrive-tags/<name>" holding the varint of a metadata version.
import { InvalidArgumentError, InvalidEncodingError } from './errors.js'
import { ProtoReader, ProtoWriter } from './messages/protobuf.js'

export const TAGS_PREFIX = 'hyperdrive-tags/'

export function tagKey(name: unknown): string {
  if (typeof name !== 'string') throw new InvalidArgumentError('Tag name must be a string.')
  return TAGS_PREFIX + name
}

export function tagName(key: string): string {
  return key.startsWith(TAGS_PREFIX) ? key.slice(TAGS_PREFIX.length) : key
}

export function encodeTagVersion(version: number): Buffer {
  if (!Number.isInteger(version) || version < 0) {
    throw new InvalidArgumentError(`Tag version must be a non-negative integer, got ${version}`)
  }
  return Buffer.from(new ProtoWriter(10).varint(version).finish())
}

/** Decodes a tag value: one varint (as the varint package reads it; trailing bytes ignored). */
export function decodeTagVersion(buf: Uint8Array): number {
  if (buf.length === 0) throw new InvalidEncodingError('Empty tag value')
  return new ProtoReader(buf).varint()
}
