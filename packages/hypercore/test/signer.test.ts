// Signing on the worker thread (signInWorker) gives byte-identical signatures files to inline
// signing, for single appends in a tight loop and for batches.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Hypercore, keyPair } from '../src/index.js'
import { tmpDir } from './helpers.js'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})

async function write(signInWorker: boolean, pair: ReturnType<typeof keyPair>): Promise<string> {
  const { dir, cleanup } = tmpDir()
  cleanups.push(cleanup)
  const core = new Hypercore(dir, pair.publicKey, { secretKey: pair.secretKey, signInWorker })
  await core.ready()
  // One append at a time: each signs its own length (300 signatures, in worker bursts).
  for (let i = 0; i < 300; i++) await core.append(`block ${i}`)
  for (let i = 0; i < 5; i++) await core.append(['x', 'y', `z${i}`])
  await core.close()
  return dir
}

describe('signing', () => {
  it('worker and inline signing write the same signatures file', async () => {
    const pair = keyPair()
    const worker = await write(true, pair)
    const inline = await write(false, pair)
    const a = fs.readFileSync(path.join(worker, 'signatures'))
    const b = fs.readFileSync(path.join(inline, 'signatures'))
    expect(a.length).toBe(32 + 64 * 315)
    for (let slot = 0; slot < 300; slot++) {
      expect(a.subarray(32 + 64 * slot, 96 + 64 * slot).some((byte) => byte !== 0)).toBe(true)
    }
    expect(a.equals(b)).toBe(true)
    const reopened = new Hypercore(worker)
    await reopened.ready()
    expect(reopened.length).toBe(315)
    expect((await reopened.audit()).invalid).toBe(0)
    expect((await reopened.signature(314)).index).toBe(314)
    await reopened.close()
  })
})
