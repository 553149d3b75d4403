// hypercore@9 proof vectors: requester digests, responder proofs, a sparse reader's puts, tampered proofs.
import { afterEach, describe, expect, it } from 'vitest'
import { Hypercore, type Proof, type TreeNode, keyPair } from '../src/index.js'
import { MemoryTreeBits, type TreeBits, digest } from '../src/tree-index.js'
import { loadVector, memoryStorage } from './helpers.js'

interface VecNode {
  index: number
  size: number
  hash: string
}
interface ProofVector {
  publicKey: string
  signature12: string
  cases: {
    reader: string
    readerNodes: number[]
    readerTreeBitLength: number
    request: { index: number; hash: boolean; nodes: number }
    response: {
      index: number
      value: string | null
      nodes: VecNode[]
      signature: string | null
      verifiedBy: number
    }
  }[]
  sparseReaderPuts: {
    index: number
    digestFromReader: number
    proofNodeIndexes: number[]
    signatureIncluded: boolean
    readerLengthAfter: number
    readerByteLengthAfter: number
  }[]
}

const vec = loadVector<ProofVector>('hypercore-proofs.json')
const cores: Hypercore[] = []
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close()
})

async function writer(): Promise<Hypercore> {
  const kp = keyPair(Buffer.alloc(32, 2))
  const core = new Hypercore(memoryStorage(), kp.publicKey, { secretKey: kp.secretKey })
  cores.push(core)
  const blocks: Buffer[] = []
  for (let i = 0; i < 13; i++) blocks.push(Buffer.from(`block-${i}`))
  await core.append(blocks)
  return core
}

function fixedLengthBits(nodes: number[], bitLength: number): TreeBits {
  const bits = new MemoryTreeBits()
  for (const n of nodes) bits.setTreeBit(n, true)
  return {
    getTree: (n) => bits.getTree(n),
    setTreeBit: (n, v) => bits.setTreeBit(n, v),
    treeLength: bitLength,
  }
}

function toVec(n: TreeNode): VecNode {
  return { index: n.index, size: n.size, hash: n.hash.toString('hex') }
}

describe('proof vectors', () => {
  it('writer key and final signature match', async () => {
    const core = await writer()
    expect(core.key?.toString('hex')).toBe(vec.publicKey)
    expect((await core.signature(12)).signature.toString('hex')).toBe(vec.signature12)
  })

  it('reader digests and writer proofs match every case', async () => {
    const core = await writer()
    for (const c of vec.cases) {
      const readerBits = fixedLengthBits(c.readerNodes, c.readerTreeBitLength)
      const d = digest(readerBits, 2 * c.request.index)
      expect(d, `${c.reader} digest of ${c.request.index}`).toBe(c.request.nodes)
      const proof = (await core.proof(
        c.request.index,
        d,
        c.request.hash,
        new MemoryTreeBits(),
      )) as Proof
      expect(proof.nodes.map(toVec), `${c.reader} proof of ${c.request.index}`).toEqual(
        c.response.nodes,
      )
      expect(proof.signature ? proof.signature.toString('hex') : null).toBe(c.response.signature)
    }
  })

  it('a sparse reader accepts the puts of the vector', async () => {
    const core = await writer()
    const reader = new Hypercore(memoryStorage(), core.key, { sparse: true })
    cores.push(reader)
    await reader.ready()
    for (const p of vec.sparseReaderPuts) {
      const d = digest(reader.treeBits, 2 * p.index)
      expect(d).toBe(p.digestFromReader)
      const proof = (await core.proof(p.index, d, false, new MemoryTreeBits())) as Proof
      expect(proof.nodes.map((n) => n.index)).toEqual(p.proofNodeIndexes)
      expect(!!proof.signature).toBe(p.signatureIncluded)
      await reader.put(p.index, (await core.getBuffer(p.index)) as Buffer, proof)
      expect(reader.length).toBe(p.readerLengthAfter)
      expect(reader.byteLength).toBe(p.readerByteLengthAfter)
    }
    expect(((await reader.get(5)) as Buffer).toString()).toBe('block-5')
    expect(await reader.audit()).toEqual({ valid: 3, invalid: 0 })
  })

  it('rejects tampered proofs with typed errors and writes nothing', async () => {
    const core = await writer()
    const reader = new Hypercore(memoryStorage(), core.key, { sparse: true })
    cores.push(reader)
    await reader.ready()
    const data = await core.getBuffer(9)
    const fresh = async () =>
      (await core.proof(9, digest(reader.treeBits, 18), false, new MemoryTreeBits())) as Proof

    const flipped = await fresh()
    flipped.nodes[0] = { ...flipped.nodes[0], hash: Buffer.from(flipped.nodes[0].hash) }
    flipped.nodes[0].hash[0] ^= 1
    await expect(reader.put(9, data, flipped)).rejects.toMatchObject({
      code: 'ERR_INVALID_SIGNATURE',
    })

    await expect(reader.put(9, Buffer.from('block-X'), await fresh())).rejects.toMatchObject({
      code: 'ERR_INVALID_SIGNATURE',
    })

    const badSig = await fresh()
    badSig.signature = Buffer.from(badSig.signature as Buffer)
    badSig.signature[3] ^= 1
    await expect(reader.put(9, data, badSig)).rejects.toMatchObject({
      code: 'ERR_INVALID_SIGNATURE',
    })

    const otherIndex = await fresh()
    await expect(reader.put(8, await core.getBuffer(8), otherIndex)).rejects.toMatchObject({
      code: expect.stringMatching(/ERR_BAD_PROOF|ERR_INVALID_SIGNATURE/),
    })
    expect(reader.length).toBe(0)
    expect(reader.has(9)).toBe(false)
    expect(reader.treeBits.getTree(18)).toBe(false)

    // A reader that already has the roots: an unsigned proof with a flipped node is refused.
    await reader.put(
      0,
      await core.getBuffer(0),
      (await core.proof(0, 0, false, new MemoryTreeBits())) as Proof,
    )
    const unsigned = (await core.proof(
      9,
      digest(reader.treeBits, 18),
      false,
      new MemoryTreeBits(),
    )) as Proof
    expect(unsigned.signature).toBe(null)
    unsigned.nodes[0] = { ...unsigned.nodes[0], hash: Buffer.alloc(32, 7) }
    await expect(reader.put(9, data, unsigned)).rejects.toMatchObject({
      code: 'ERR_INVALID_SIGNATURE',
    })
    expect(reader.has(9)).toBe(false)
  })
})
