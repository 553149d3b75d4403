// Writer redo: blocks whose tree nodes and data reached storage before the bitfield (or the
// signature) are taken back on reopen, re-signed, and readable by hypercore@9.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Hypercore, signable, verify } from '../src/index.js'
import { tmpDir } from './helpers.js'
import { cb, openOriginal } from './interop/original.js'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})

describe('writer recovery', () => {
  it('recovers appends whose bitfield pages and signatures were lost', async () => {
    const { dir, cleanup } = tmpDir()
    cleanups.push(cleanup)
    const core = new Hypercore(dir)
    await core.append(['a', 'bb', 'ccc'])
    await core.close()
    const oldBitfield = fs.readFileSync(path.join(dir, 'bitfield'))
    const oldSignatures = fs.readFileSync(path.join(dir, 'signatures'))

    const more = new Hypercore(dir)
    await more.append('dddd')
    await more.append(['eeeee', 'ffffff'])
    await more.close()
    // The crash: bitfield and signatures as they were before the last two appends.
    fs.writeFileSync(path.join(dir, 'bitfield'), oldBitfield)
    fs.writeFileSync(path.join(dir, 'signatures'), oldSignatures)

    const again = new Hypercore(dir)
    await again.ready()
    expect(again.length).toBe(6)
    expect(again.byteLength).toBe(21)
    expect(await again.audit()).toEqual({ valid: 6, invalid: 0 })
    expect(((await again.get(5)) as Buffer).toString()).toBe('ffffff')
    const sig = await again.signature(5)
    expect(sig.index).toBe(5)
    const roots = await Promise.all([again.getNode(3), again.getNode(9)])
    expect(verify(signable(roots, 6), sig.signature, again.key as Buffer)).toBe(true)
    await again.close()

    const original = await openOriginal(dir)
    expect(original.length).toBe(6)
    expect((await cb<Buffer>((done) => original.get(4, {}, done))).toString()).toBe('eeeee')
    await cb((done) => original.close(done))
  })

  it('restores data bits lost while the tree bits of the same appends were stored', async () => {
    const { dir, cleanup } = tmpDir()
    cleanups.push(cleanup)
    const core = new Hypercore(dir)
    await core.append(['a', 'bb', 'ccc', 'dddd'])
    await core.append(['eeeee', 'ffffff'])
    await core.close()
    // The crash: the first page's data bits (after the 32-byte header; block 0 is the top bit)
    // lost blocks 4 and 5, while their tree bits and the length they prove were written.
    const file = path.join(dir, 'bitfield')
    const bits = fs.readFileSync(file)
    expect(bits[32]).toBe(0xfc)
    bits[32] = 0xf0
    fs.writeFileSync(file, bits)

    const again = new Hypercore(dir)
    await again.ready()
    expect(again.length).toBe(6)
    expect(await again.audit()).toEqual({ valid: 6, invalid: 0 })
    expect(((await again.get(5)) as Buffer).toString()).toBe('ffffff')
    await again.close()
  })

  it('stops at a torn block: a stored leaf whose data does not match', async () => {
    const { dir, cleanup } = tmpDir()
    cleanups.push(cleanup)
    const core = new Hypercore(dir)
    await core.append(['one'])
    await core.close()
    const oldBitfield = fs.readFileSync(path.join(dir, 'bitfield'))
    const more = new Hypercore(dir)
    await more.append(['two'])
    await more.append(['three'])
    await more.close()
    fs.writeFileSync(path.join(dir, 'bitfield'), oldBitfield)
    const data = fs.readFileSync(path.join(dir, 'data'))
    data[data.length - 1] ^= 0xff // 'three' torn
    fs.writeFileSync(path.join(dir, 'data'), data)

    const again = new Hypercore(dir)
    await again.ready()
    expect(again.length).toBe(2)
    expect(await again.audit()).toEqual({ valid: 2, invalid: 0 })
    expect((await again.signature(1)).index).toBe(1)
    await again.append('three again')
    expect(((await again.get(2)) as Buffer).toString()).toBe('three again')
    await again.close()
  })

  it('keeps a cleared empty block cleared across a reopen (found by the model test)', async () => {
    const { dir, cleanup } = tmpDir()
    cleanups.push(cleanup)
    const core = new Hypercore(dir)
    await core.append([Buffer.alloc(0)])
    await core.clear(0)
    await core.close()
    const again = new Hypercore(dir)
    await again.ready()
    expect(again.length).toBe(1)
    expect(again.has(0)).toBe(false)
    await again.close()
  })
})
