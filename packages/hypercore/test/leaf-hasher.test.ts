// Hashing big appends' leaves on the hashing thread (hashInWorker) gives the same hashes as
// inline, the same files on disk, and survives the thread dying mid-batch.
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { leafHash } from '../src/crypto.js'
import { Hypercore, keyPair } from '../src/index.js'
import { LeafHasher, MIN_OFFLOAD_BLOCK } from '../src/leaf-hasher.js'
import { tmpDir } from './helpers.js'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})

function hasher(): LeafHasher {
  const h = LeafHasher.get()
  if (!h) throw new Error('no hashing thread here')
  return h
}

function block(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size)
  for (let i = 0; i < size; i += 997) b[i] = (seed + i) & 255
  b[size - 1] = seed & 255
  return b
}

describe('LeafHasher', () => {
  it('returns the leaf hash of every block it takes, and null for those it leaves inline', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 200_000 }), { minLength: 1, maxLength: 24 }),
        async (sizes) => {
          const blocks = sizes.map((size, i) => block(size, i))
          const pending = hasher().hash(blocks)
          const leaves = pending === null ? blocks.map(() => null) : await pending
          expect(leaves).toHaveLength(blocks.length)
          for (let i = 0; i < blocks.length; i++) {
            const leaf = leaves[i]
            if (blocks[i].length < MIN_OFFLOAD_BLOCK) expect(leaf).toBeNull()
            if (leaf !== null) expect(leaf.equals(leafHash(blocks[i]))).toBe(true)
          }
        },
      ),
      { numRuns: 30 },
    )
  })

  it('takes one batch at a time, and only what fits its 4 MiB ring', async () => {
    const h = hasher()
    const big = Array.from({ length: 80 }, (_, i) => block(64 * 1024, i)) // 5 MiB
    const first = h.hash(big)
    expect(first).not.toBeNull()
    expect(h.hash([block(64 * 1024, 1)])).toBeNull()
    const leaves = (await first) ?? []
    expect(leaves.slice(0, 64).every((leaf) => leaf !== null)).toBe(true)
    expect(leaves.slice(64).every((leaf) => leaf === null)).toBe(true)
    const next = h.hash([block(64 * 1024, 2)])
    expect(next).not.toBeNull()
    expect((await next)?.[0]?.equals(leafHash(block(64 * 1024, 2)))).toBe(true)
  })

  it('a batch in the thread when it dies is hashed inline', async () => {
    const h = hasher()
    const blocks = Array.from({ length: 60 }, (_, i) => block(64 * 1024, i + 7))
    const pending = h.hash(blocks)
    expect(pending).not.toBeNull()
    await h.terminate()
    const leaves = (await pending) ?? []
    for (let i = 0; i < blocks.length; i++) {
      expect(leaves[i]?.equals(leafHash(blocks[i]))).toBe(true)
    }
    expect(LeafHasher.get()).not.toBe(h)
  })
})

describe('LeafHasher idle', () => {
  it('ends its thread a second after its last batch; the next batch starts a new one', async () => {
    const h = hasher()
    const blocks = [block(64 * 1024, 3), block(64 * 1024, 4)]
    await h.hash(blocks)
    expect(LeafHasher.get()).toBe(h)
    await new Promise((resolve) => setTimeout(resolve, 1300))
    const next = LeafHasher.get()
    expect(next).not.toBe(h)
    const leaves = (await next?.hash(blocks)) ?? []
    expect(leaves[1]?.equals(leafHash(blocks[1]))).toBe(true)
  })
})

describe('hashInWorker', () => {
  async function write(hashInWorker: boolean, pair: ReturnType<typeof keyPair>): Promise<string> {
    const { dir, cleanup } = tmpDir()
    cleanups.push(cleanup)
    const core = new Hypercore(dir, pair.publicKey, { secretKey: pair.secretKey, hashInWorker })
    await core.ready()
    for (let batch = 0; batch < 6; batch++) {
      // 64 KiB blocks and a few small ones, in 1-2 MiB appends (the thread's size of work).
      const blocks = Array.from({ length: 20 + batch }, (_, i) =>
        block(i % 7 === 3 ? 100 : 64 * 1024, batch * 100 + i),
      )
      await core.append(blocks)
    }
    await core.append(block(10, 1)) // a small one, inline either way
    await core.close()
    return dir
  }

  it('writes the same tree, data and signatures as hashing inline', async () => {
    const pair = keyPair()
    const threaded = await write(true, pair)
    const inline = await write(false, pair)
    for (const file of ['tree', 'data', 'signatures', 'bitfield', 'key']) {
      const a = fs.readFileSync(path.join(threaded, file))
      const b = fs.readFileSync(path.join(inline, file))
      expect(a.equals(b), file).toBe(true)
    }
    const reopened = new Hypercore(threaded)
    await reopened.ready()
    expect((await reopened.audit()).invalid).toBe(0)
    expect(reopened.length).toBe(20 + 21 + 22 + 23 + 24 + 25 + 1)
    await reopened.close()
  })
})
