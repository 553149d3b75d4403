// A folder written by our Hypercore opens in hypercore@9 with the same blocks and verifiable signatures.
import { afterEach, describe, expect, it } from 'vitest'
import { Hypercore } from '../../src/index.js'
import { tmpDir } from '../helpers.js'
import { cb, openOriginal } from './original.js'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})

describe('storage: ours writes, hypercore@9 reads', () => {
  it('opens with the same key, length, blocks and passes its audit; the original can keep appending', async () => {
    const { dir, cleanup } = tmpDir()
    cleanups.push(cleanup)
    const ours = new Hypercore(dir)
    const blocks: Buffer[] = []
    for (let i = 0; i < 300; i++) blocks.push(Buffer.from(`block ${i} `.repeat(1 + (i % 7))))
    for (let i = 0; i < 100; i++) await ours.append(blocks[i])
    await ours.append(blocks.slice(100, 250))
    await Promise.all(blocks.slice(250).map((b) => ours.append(b)))
    const key = ours.key as Buffer
    await ours.close()

    const feed = await openOriginal(dir)
    expect(feed.key.equals(key)).toBe(true)
    expect(feed.length).toBe(300)
    expect(feed.writable).toBe(true)
    for (let i = 0; i < 300; i++) {
      const b = await cb<Buffer>((done) => feed.get(i, {}, done))
      expect(b.equals(blocks[i])).toBe(true)
    }
    expect(await cb<{ valid: number; invalid: number }>((done) => feed.audit(done))).toEqual({
      valid: 300,
      invalid: 0,
    })
    await cb<number>((done) => feed.append(Buffer.from('from v9'), done))
    await cb((done) => feed.close(done))

    const back = new Hypercore(dir)
    await back.ready()
    expect(back.length).toBe(301)
    expect(((await back.get(300)) as Buffer).toString()).toBe('from v9')
    expect(await back.audit()).toEqual({ valid: 301, invalid: 0 })
    await back.close()
  })
})
