// Static cores (live: false, no key pair): finalize() makes the hash of the roots the key, as
// hypercore@9 does, so the same blocks give the same key on both sides and in both key files.
import { describe, expect, it } from 'vitest'
import { Hypercore } from '../../src/index.js'
import { memoryStorage } from '../helpers.js'
import { cb, hypercore9, ramV3 } from './original.js'

const BLOCKS = ['static', 'blocks', 'never', 'signed'].map((s) => Buffer.from(s))

describe('finalize, against hypercore@9', () => {
  it('gives a static core the key hypercore@9 gives the same blocks, and stores it', async () => {
    const theirs = hypercore9(ramV3, null, { live: false })
    await cb((done) => theirs.ready(done))
    await cb<number>((done) => theirs.append(BLOCKS, done))
    await cb((done) => theirs.finalize(done))

    const storage = memoryStorage()
    const ours = new Hypercore(storage, null, { live: false })
    await ours.ready()
    expect(ours.key).toBeNull()
    await ours.append(BLOCKS)
    await ours.finalize()

    expect(ours.key?.toString('hex')).toBe(theirs.key.toString('hex'))
    expect(ours.discoveryKey?.toString('hex')).toBe(theirs.discoveryKey.toString('hex'))
    await ours.close()
    const reopened = new Hypercore(storage, null, { live: false })
    await reopened.ready()
    expect(reopened.key?.toString('hex')).toBe(theirs.key.toString('hex'))
    expect(reopened.length).toBe(BLOCKS.length)
    await reopened.close()
    await cb((done) => theirs.close(done))
  })
})
