// A folder written by hypercore@9 opens in our Hypercore with the same blocks, and we keep appending.
import { afterEach, describe, expect, it } from 'vitest'
import { Hypercore } from '../../src/index.js'
import { tmpDir } from '../helpers.js'
import { cb, openOriginal } from './original.js'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})

describe('storage: hypercore@9 writes, ours reads', () => {
  it('opens with the same key, length and blocks; our appends read back in the original', async () => {
    const { dir, cleanup } = tmpDir()
    cleanups.push(cleanup)
    const feed = await openOriginal(dir)
    const blocks: Buffer[] = []
    for (let i = 0; i < 9000; i++) blocks.push(Buffer.from(`v9 ${i}`))
    await cb<number>((done) => feed.append(blocks.slice(0, 8500), done))
    for (let i = 8500; i < 9000; i++) await cb<number>((done) => feed.append(blocks[i], done))
    const key = feed.key
    await cb((done) => feed.close(done))

    const ours = new Hypercore(dir)
    await ours.ready()
    expect(ours.key?.equals(key)).toBe(true)
    expect(ours.length).toBe(9000)
    expect(ours.writable).toBe(true)
    for (let i = 0; i < 9000; i += 97) expect((await ours.get(i)) as Buffer).toEqual(blocks[i])
    expect((await ours.signature(8499)).index).toBe(8499)
    expect(await ours.audit()).toEqual({ valid: 9000, invalid: 0 })
    await ours.append([Buffer.from('ours 1'), Buffer.from('ours 2')])
    await ours.close()

    const again = await openOriginal(dir)
    expect(again.length).toBe(9002)
    expect((await cb<Buffer>((done) => again.get(9001, {}, done))).toString()).toBe('ours 2')
    expect(await cb<{ valid: number; invalid: number }>((done) => again.audit(done))).toEqual({
      valid: 9002,
      invalid: 0,
    })
    await cb((done) => again.close(done))
  })

  it('opens a core hypercore@9 truncated at its new length, and appends from there', async () => {
    const { dir, cleanup } = tmpDir()
    cleanups.push(cleanup)
    const feed = await openOriginal(dir)
    const blocks = Array.from({ length: 10 }, (_, i) => Buffer.from(`block ${i}`))
    await cb<number>((done) => feed.append(blocks, done))
    // it clears the tree bits past 5 but leaves the data bits, tree nodes and data
    await cb((done) => feed.truncate(5, done))
    await cb((done) => feed.close(done))

    const ours = new Hypercore(dir)
    await ours.ready()
    // before: our recovery of unsigned appends took blocks 5..9 back (length 10)
    expect(ours.length).toBe(5)
    expect(await ours.audit()).toEqual({ valid: 5, invalid: 0 })
    await ours.append([Buffer.from('new 5'), Buffer.from('new 6')])
    expect((await ours.get(6)) as Buffer).toEqual(Buffer.from('new 6'))
    await ours.close()

    const reopened = new Hypercore(dir)
    await reopened.ready()
    expect(reopened.length).toBe(7)
    await reopened.close()
    const again = await openOriginal(dir)
    expect(again.length).toBe(7)
    expect((await cb<Buffer>((done) => again.get(5, {}, done))).toString()).toBe('new 5')
    expect(
      (await cb<{ valid: number; invalid: number }>((done) => again.audit(done))).invalid,
    ).toBe(0)
    await cb((done) => again.close(done))
  })
})
