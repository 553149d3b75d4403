// hypersign signables and signatures, round-trip tokens and peer encodings against the vectors.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  decodeAddr,
  decodeLocalPeers,
  decodeNodes,
  decodePeerList,
  encodeAddr,
  encodeNodes,
  parsePeer,
} from '../src/addr.js'
import { hashValue, keyPair, salt, sign, signable, verify } from '../src/signing.js'
import { TokenSecrets, roundtripToken } from '../src/token.js'

interface Vectors {
  roundtripTokens: { secret: string; host: string; token: string }[]
  hypersign: {
    seedHex: string
    publicKey: string
    valueUtf8: string
    seq: number
    saltUtf8: string | null
    signableHex: string
    signature: string
  }[]
}
const vectors = JSON.parse(
  readFileSync(`${process.env.HYPERSTACK_SHARED}/spec/vectors/dht-messages.json`, 'utf8'),
) as Vectors

describe('hypersign', () => {
  it.each(vectors.hypersign.map((v) => [v.valueUtf8, v] as const))('signs "%s"', (_, v) => {
    const kp = keyPair(Buffer.from(v.seedHex, 'hex'))
    expect(kp.publicKey.toString('hex')).toBe(v.publicKey)
    const opts = { seq: v.seq, salt: v.saltUtf8 === null ? null : Buffer.from(v.saltUtf8) }
    const value = Buffer.from(v.valueUtf8)
    expect(signable(value, opts).toString('hex')).toBe(v.signableHex)
    const sig = sign(value, kp.secretKey, opts)
    expect(sig.toString('hex')).toBe(v.signature)
    expect(verify(sig, value, kp.publicKey, opts)).toBe(true)
    expect(verify(sig, value, kp.publicKey, { ...opts, seq: v.seq + 1 })).toBe(false)
    expect(verify(sig.subarray(0, 63), value, kp.publicKey, opts)).toBe(false)
  })

  it('refuses oversized values and salts with typed errors', () => {
    expect(() => signable(Buffer.alloc(1001))).toThrowError(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    )
    expect(() => signable(Buffer.alloc(1), { salt: Buffer.alloc(65) })).toThrow(/salt/)
    expect(() => salt(null, 15)).toThrow(/16 and 64/)
    expect(salt('x', 16)).toHaveLength(16)
    expect(salt('x').equals(salt('x'))).toBe(true)
  })

  it('hashes immutable values with BLAKE2b-256', () => {
    expect(hashValue(Buffer.from('')).toString('hex')).toBe(
      '0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8',
    )
  })
})

describe('roundtrip tokens', () => {
  it.each(vectors.roundtripTokens.map((v) => [v.host, v] as const))('token for %s', (_, v) => {
    expect(roundtripToken(Buffer.from(v.secret, 'hex'), v.host).toString('hex')).toBe(v.token)
  })

  it('accepts the current and previous secret only', () => {
    const s = new TokenSecrets()
    const t0 = s.issue('127.0.0.1')
    expect(s.verify('127.0.0.1', t0)).toBe(true)
    expect(s.verify('127.0.0.2', t0)).toBe(false)
    s.rotate()
    expect(s.verify('127.0.0.1', t0)).toBe(true)
    s.rotate()
    expect(s.verify('127.0.0.1', t0)).toBe(false)
    expect(s.verify('127.0.0.1', null)).toBe(false)
  })
})

describe('peer encodings', () => {
  it('encodes addr6 and node38', () => {
    expect(encodeAddr({ host: '127.0.0.1', port: 49813 }).toString('hex')).toBe('7f000001c295')
    const id = Buffer.alloc(32, 7)
    const nodes = encodeNodes([{ id, host: '10.0.0.1', port: 1 }])
    expect(nodes).toHaveLength(38)
    expect(decodeNodes(Buffer.concat([nodes, Buffer.alloc(5)]))).toEqual([
      { id, host: '10.0.0.1', port: 1 },
    ])
    expect(() => decodeNodes(Buffer.alloc(38))).toThrow(/port 0/)
  })

  it('decodes peer lists as the original', () => {
    expect(decodePeerList(Buffer.from('7f000001c2947f000001c295', 'hex'))).toEqual([
      { host: '127.0.0.1', port: 49812 },
      { host: '127.0.0.1', port: 49813 },
    ])
    expect(decodePeerList(Buffer.alloc(7))).toBeNull()
    expect(decodePeerList(Buffer.from('000000000001', 'hex'))).toBeNull()
    expect(decodeLocalPeers(Buffer.from([192, 168]), Buffer.from('00019c41', 'hex'))).toEqual([
      { host: '192.168.0.1', port: 40001 },
    ])
    expect(decodeLocalPeers(Buffer.from([1, 2]), Buffer.alloc(3))).toBeNull()
    expect(decodeAddr(Buffer.alloc(5))).toBeNull()
  })

  it('parses bootstrap entries', () => {
    expect(parsePeer(':49737')).toEqual({ host: '127.0.0.1', port: 49737 })
    expect(parsePeer(10)).toEqual({ host: '127.0.0.1', port: 10 })
    expect(parsePeer('10.1.2.3:5')).toEqual({ host: '10.1.2.3', port: 5 })
    expect(() => parsePeer('host')).toThrowError(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    )
  })
})
