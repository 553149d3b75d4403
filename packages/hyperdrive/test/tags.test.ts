// Tag keys and values as hyperdrive@10's TagManager stores them.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  InvalidArgumentError,
  InvalidEncodingError,
  decodeTagVersion,
  encodeTagVersion,
  tagKey,
  tagName,
} from '../src/index.js'
import { originalVarint } from './helpers/originals.js'
import { type BasicVectors, loadVectors } from './helpers/vectors.js'

const basic = loadVectors<BasicVectors>('hyperdrive-basic.json')

describe('tags', () => {
  it('matches vector block 9 (v-basic = 9)', () => {
    const node = basic.metadataBlocks.find((b) => b.seq === 9)!.node!
    expect(tagKey('v-basic')).toBe(node.key)
    expect(encodeTagVersion(9).toString('hex')).toBe(node.value)
    expect(decodeTagVersion(Buffer.from(node.value, 'hex'))).toBe(9)
    expect(tagName(node.key)).toBe('v-basic')
  })

  it('encodes versions as the varint package does', () => {
    fc.assert(
      fc.property(fc.nat(), (v) => {
        expect([...encodeTagVersion(v)]).toEqual(originalVarint.encode(v))
        expect(decodeTagVersion(encodeTagVersion(v))).toBe(v)
      }),
    )
  })

  it('refuses bad names, versions and values', () => {
    expect(() => tagKey(5)).toThrow(InvalidArgumentError)
    expect(() => encodeTagVersion(-1)).toThrow(InvalidArgumentError)
    expect(() => decodeTagVersion(Buffer.alloc(0))).toThrow(InvalidEncodingError)
    expect(() => decodeTagVersion(Buffer.from([0x80]))).toThrow(InvalidEncodingError)
  })
})
