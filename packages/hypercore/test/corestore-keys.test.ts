// corestore@5 key derivation and layout, checked against the spec vector written by the original.
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  coreDiscoveryKey,
  deriveCoreKeys,
  deriveCoreSeed,
  namespaceName,
} from '../src/corestore-keys.js'
import {
  coreStorageRoot,
  decodeNameFile,
  encodeNameFile,
  parseKey,
} from '../src/corestore-layout.js'

interface VectorEntry {
  name: string
  seed: string
  publicKey: string
  secretKey: string
  discoveryKey: string
  storageDir: string
}
interface CorestoreVector {
  masterKey: string
  derivationPrefixHex: string
  entries: VectorEntry[]
  nestedNamespace: { name: string; publicKey: string }
  nameFile: { example: { name: string; hex: string } }
}

const vector = JSON.parse(
  readFileSync(`${process.env.HYPERSTACK_SHARED}/spec/vectors/hyperdrive-corestore.json`, 'utf8'),
) as CorestoreVector
const masterKey = Buffer.from(vector.masterKey, 'hex')
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

describe('corestore key derivation (vector hyperdrive-corestore.json)', () => {
  for (const entry of vector.entries) {
    it(`derives the core named ${JSON.stringify(entry.name.slice(0, 24))}`, () => {
      expect(hex(deriveCoreSeed(masterKey, entry.name))).toBe(entry.seed)
      const keys = deriveCoreKeys(masterKey, entry.name)
      expect(hex(keys.publicKey)).toBe(entry.publicKey)
      expect(hex(keys.secretKey)).toBe(entry.secretKey)
      expect(hex(keys.discoveryKey)).toBe(entry.discoveryKey)
      expect(hex(coreDiscoveryKey(keys.publicKey))).toBe(entry.discoveryKey)
      expect(coreStorageRoot(keys.discoveryKey)).toBe(entry.storageDir)
      expect(keys.name.toString()).toBe(entry.name)
    })
  }

  it('derives the same pair from a name given as bytes', () => {
    const entry = vector.entries[0]
    const keys = deriveCoreKeys(masterKey, new Uint8Array(Buffer.from(entry.name)))
    expect(hex(keys.publicKey)).toBe(entry.publicKey)
  })

  it('nests namespace names with ":" (namespace("outer").namespace("inner"))', () => {
    const name = namespaceName(namespaceName(null, 'outer'), 'inner')
    expect(name).toBe(vector.nestedNamespace.name)
    expect(hex(deriveCoreKeys(masterKey, name).publicKey)).toBe(vector.nestedNamespace.publicKey)
  })

  it('hex-encodes byte namespaces and draws 32 random bytes for none', () => {
    expect(namespaceName(null, Buffer.from([1, 2]))).toBe('0102')
    expect(namespaceName('a', Buffer.from([0xff]))).toBe('a:ff')
    const random = namespaceName(null, undefined)
    expect(random).toMatch(/^[0-9a-f]{64}$/)
    expect(namespaceName(null, '')).not.toBe(random)
  })

  it('uses a different key for a different master key', () => {
    const other = deriveCoreKeys(Buffer.alloc(32, 1), 'default')
    expect(hex(other.publicKey)).not.toBe(vector.entries[0].publicKey)
  })
})

describe('corestore name file', () => {
  it('matches the vector example', () => {
    const { name, hex: expected } = vector.nameFile.example
    expect(hex(encodeNameFile(Buffer.from(name)))).toBe(expected)
    expect(decodeNameFile(Buffer.from(expected, 'hex'))?.toString()).toBe(name)
  })

  it('round-trips any name of 1..300 bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), (name) => {
        const decoded = decodeNameFile(encodeNameFile(name))
        expect(decoded).not.toBeNull()
        expect(hex(decoded ?? Buffer.alloc(0))).toBe(hex(name))
      }),
    )
  })

  it('ignores files that are not exactly one length-prefixed name', () => {
    expect(decodeNameFile(Buffer.from([]))).toBeNull()
    expect(decodeNameFile(Buffer.from([1]))).toBeNull()
    expect(decodeNameFile(Buffer.from([3, 0x61, 0x62]))).toBeNull()
    expect(decodeNameFile(Buffer.from([1, 0x61, 0x62]))).toBeNull()
    expect(decodeNameFile(Buffer.from([0xff, 0xff]))).toBeNull()
    expect(decodeNameFile(Buffer.from([0, 0]))).toBeNull()
  })

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const decoded = decodeNameFile(bytes)
        if (decoded !== null) expect(hex(encodeNameFile(decoded))).toBe(hex(bytes))
      }),
    )
  })
})

describe('corestore key parsing', () => {
  const key = vector.entries[0].publicKey
  it('accepts 32 bytes, 64 hex characters and dat:// links', () => {
    expect(hex(parseKey(Buffer.from(key, 'hex')))).toBe(key)
    expect(hex(parseKey(key))).toBe(key)
    expect(hex(parseKey(key.toUpperCase()))).toBe(key)
    expect(hex(parseKey(`dat://${key}/some/path`))).toBe(key)
  })

  it('rejects anything else with ERR_INVALID_KEY', () => {
    for (const bad of [key.slice(2), `${key}a`, 'zz', Buffer.alloc(31), new Uint8Array(33)]) {
      expect(() => parseKey(bad)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_KEY' }))
    }
  })
})
