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
})
