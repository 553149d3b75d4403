// The originals' vectors: same seed key pair + same blocks give identical hashes, signatures and files.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Hypercore, discoveryKey, keyPair, leafHash } from '../src/index.js'
import { loadVector, sha256, tmpDir } from './helpers.js'

interface FileInfo {
  size: number
  sha256: string
  hex?: string
}
interface SmallVector {
  keyPair: { seed: string; publicKey: string; secretKey: string }
  discoveryKey: string
  blocks: { index: number; hex: string; leafHash: string }[]
  appendCalls: string[][]
  appends: {
    lengthAfter: number
    byteLengthAfter: number
    roots: { index: number; size: number; hash: string }[]
    treeHash: string
    signable: string
    signature: string
    signatureStoredAtIndex: number
  }[]
  treeNodes: { index: number; size: number; hash: string }[]
  files: Record<string, FileInfo>
  reopened: { length: number; byteLength: number; writable: boolean; key: string }
  seek: { results: { bytes: number; index: number; offset: number }[] }
  audit: { valid: number; invalid: number }
}
interface LargeVector {
  cores: {
    name: string
    length: number
    byteLength: number
    roots: { index: number; size: number; hash: string }[]
    signature: string
    leafHashes: Record<string, string>
    files: Record<string, FileInfo>
  }[]
}

const small = loadVector<SmallVector>('hypercore-small.json')
const large = loadVector<LargeVector>('hypercore-large.json')
const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})

function seedPair(seed: string) {
  return keyPair(Buffer.from(seed, 'hex'))
}

describe('crypto vectors', () => {
  it('derives the key pair, discovery key and leaf hashes', () => {
    const kp = seedPair(small.keyPair.seed)
    expect(kp.publicKey.toString('hex')).toBe(small.keyPair.publicKey)
    expect(kp.secretKey.toString('hex')).toBe(small.keyPair.secretKey)
    expect(discoveryKey(kp.publicKey).toString('hex')).toBe(small.discoveryKey)
    for (const b of small.blocks)
      expect(leafHash(Buffer.from(b.hex, 'hex')).toString('hex')).toBe(b.leafHash)
  })
})

describe('small core on file storage', () => {
  it('writes byte-identical files, signatures and reopens the same', async () => {
    const { dir, cleanup } = tmpDir()
    cleanups.push(cleanup)
    const kp = seedPair(small.keyPair.seed)
    const core = new Hypercore(dir, kp.publicKey, { secretKey: kp.secretKey })
    await core.ready()
    for (let i = 0; i < small.appendCalls.length; i++) {
      await core.append(small.appendCalls[i].map((s) => Buffer.from(s)))
      const expected = small.appends[i]
      expect(core.length).toBe(expected.lengthAfter)
      expect(core.byteLength).toBe(expected.byteLengthAfter)
      const sig = await core.signature(expected.lengthAfter - 1)
      expect(sig.index).toBe(expected.signatureStoredAtIndex)
      expect(sig.signature.toString('hex')).toBe(expected.signature)
    }
    for (const n of small.treeNodes) {
      const node = await core.getNode(n.index)
      expect(node.hash.toString('hex')).toBe(n.hash)
      expect(node.size).toBe(n.size)
    }
    await core.close()
    for (const [name, info] of Object.entries(small.files)) {
      const buf = fs.readFileSync(path.join(dir, name))
      expect(buf.length, name).toBe(info.size)
      expect(buf.toString('hex'), name).toBe(info.hex)
    }

    const again = new Hypercore(dir)
    await again.ready()
    expect(again.length).toBe(small.reopened.length)
    expect(again.byteLength).toBe(small.reopened.byteLength)
    expect(again.writable).toBe(small.reopened.writable)
    expect(again.key?.toString('hex')).toBe(small.reopened.key)
    for (const r of small.seek.results) {
      expect(await again.seek(r.bytes, { wait: false }), `seek ${r.bytes}`).toEqual([
        r.index,
        r.offset,
      ])
    }
    expect(await again.audit()).toEqual(small.audit)
    for (const b of small.blocks)
      expect((await again.get(b.index)) as Buffer).toEqual(Buffer.from(b.hex, 'hex'))
    await again.close()
    for (const [name, info] of Object.entries(small.files)) {
      expect(sha256(fs.readFileSync(path.join(dir, name))), `${name} after reopen`).toBe(
        info.sha256,
      )
    }
  })
})

describe('large cores on file storage', () => {
  for (const vec of large.cores) {
    it(`${vec.name}: identical roots, signature and file hashes`, async () => {
      const { dir, cleanup } = tmpDir()
      cleanups.push(cleanup)
      const kp = seedPair('01'.repeat(32))
      const core = new Hypercore(dir, kp.publicKey, { secretKey: kp.secretKey })
      await core.ready()
      if (vec.name.startsWith('1000x100')) {
        for (let i = 0; i < 1000; i++) {
          const b = Buffer.alloc(100)
          for (let j = 0; j < 100; j++) b[j] = (i + j) & 0xff
          await core.append(b)
        }
      } else {
        for (let c = 0; c < 40; c++) {
          const batch: Buffer[] = []
          for (let k = 0; k < 1000; k++) batch.push(Buffer.from([(c * 1000 + k) & 0xff]))
          await core.append(batch)
        }
      }
      expect(core.length).toBe(vec.length)
      expect(core.byteLength).toBe(vec.byteLength)
      for (const [i, hash] of Object.entries(vec.leafHashes)) {
        expect((await core.getNode(2 * Number(i))).hash.toString('hex')).toBe(hash)
      }
      const sig = await core.signature(vec.length - 1)
      expect(sig.signature.toString('hex')).toBe(vec.signature)
      await core.close()
      for (const [name, info] of Object.entries(vec.files)) {
        const buf = fs.readFileSync(path.join(dir, name))
        expect(buf.length, name).toBe(info.size)
        expect(sha256(buf), name).toBe(info.sha256)
      }
    })
  }
})
