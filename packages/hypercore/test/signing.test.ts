// Signing on the shared signing thread (signInWorker) gives byte-identical signatures files to
// inline signing, for single appends in a tight loop and for batches, and survives the thread
// dying mid-burst (what it had queued is signed inline, in order).
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { sign } from '../src/crypto.js'
import { Hypercore, keyPair } from '../src/index.js'
import { SignatureLog } from '../src/signature-log.js'
import { type SignatureSink, SigningRing } from '../src/signing-ring.js'
import { tmpDir } from './helpers.js'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})

async function write(
  signInWorker: boolean,
  pair: ReturnType<typeof keyPair>,
  midway?: () => Promise<void>,
): Promise<string> {
  const { dir, cleanup } = tmpDir()
  cleanups.push(cleanup)
  const core = new Hypercore(dir, pair.publicKey, { secretKey: pair.secretKey, signInWorker })
  await core.ready()
  // One append at a time: each signs its own length (a burst: the thread takes over).
  for (let i = 0; i < 3000; i++) {
    await core.append(`block ${i}`)
    if (i === 1500 && midway) await midway()
  }
  for (let i = 0; i < 5; i++) await core.append(['x', 'y', `z${i}`])
  await core.close()
  return dir
}

function signaturesOf(dir: string): Buffer {
  return fs.readFileSync(path.join(dir, 'signatures'))
}

async function expectComplete(dir: string, length: number): Promise<void> {
  const file = signaturesOf(dir)
  expect(file.length).toBe(32 + 64 * length)
  for (let slot = 0; slot < 3000; slot++) {
    expect(file.subarray(32 + 64 * slot, 96 + 64 * slot).some((byte) => byte !== 0)).toBe(true)
  }
  const reopened = new Hypercore(dir)
  await reopened.ready()
  expect(reopened.length).toBe(length)
  expect((await reopened.audit()).invalid).toBe(0)
  expect((await reopened.signature(length - 1)).index).toBe(length - 1)
  await reopened.close()
}

describe('signing', () => {
  it('the signing thread and inline signing write the same signatures file', async () => {
    const pair = keyPair()
    const threaded = await write(true, pair)
    const inline = await write(false, pair)
    expect(signaturesOf(threaded).equals(signaturesOf(inline))).toBe(true)
    await expectComplete(threaded, 3015)
  })

  it('signs inline what the thread had queued when it dies mid-burst', async () => {
    const pair = keyPair()
    const inline = await write(false, pair)
    const threaded = await write(true, pair, async () => {
      const ring = SigningRing.get()
      expect(ring).not.toBeNull()
      await ring?.terminate()
    })
    expect(signaturesOf(threaded).equals(signaturesOf(inline))).toBe(true)
    await expectComplete(threaded, 3015)
  })

  it('the ring returns every signature, in order, through a full ring', async () => {
    const ring = SigningRing.get()
    if (!ring) throw new Error('no signing thread here')
    const pair = keyPair()
    const got: { slot: number; sig: Buffer }[] = []
    let drains = 0
    const sink: SignatureSink = {
      signed: (slot, sig) => got.push({ slot, sig: Buffer.from(sig) }),
      drained: () => drains++,
      orphaned: () => {
        throw new Error('the thread should not die here')
      },
    }
    const messages: Buffer[] = []
    let refused = 0
    for (let slot = 0; slot < 5000; slot++) {
      const message = Buffer.alloc(40, slot % 251)
      message.writeUInt32BE(slot, 0)
      messages.push(message)
      while (!ring.submit(sink, slot, message, pair.secretKey)) {
        refused++
        // Full: wake the worker and let it sign (the next submit takes in what it finished).
        ring.hurry()
        await new Promise((resolve) => setTimeout(resolve, 1))
      }
    }
    const deadline = Date.now() + 20_000
    while (got.length < 5000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5))
    expect(refused).toBeGreaterThan(0)
    expect(drains).toBeGreaterThan(0)
    expect(got.map((g) => g.slot)).toEqual(messages.map((_, i) => i))
    for (const { slot, sig } of got)
      expect(sig.equals(sign(messages[slot], pair.secretKey))).toBe(true)
  })
})

describe('signing ring failure', () => {
  it('hands back every queued message, in order, when the thread dies', async () => {
    const ring = SigningRing.get()
    if (!ring) throw new Error('no signing thread here')
    const pair = keyPair()
    const seen: { slot: number; how: 'signed' | 'orphaned' }[] = []
    const sink: SignatureSink = {
      signed: (slot) => seen.push({ slot, how: 'signed' }),
      drained: () => {},
      orphaned: (slot, message) => {
        expect(message.readUInt32BE(0)).toBe(slot)
        seen.push({ slot, how: 'orphaned' })
      },
    }
    for (let slot = 0; slot < 1000; slot++) {
      const message = Buffer.alloc(40)
      message.writeUInt32BE(slot, 0)
      expect(ring.submit(sink, slot, message, pair.secretKey)).toBe(true)
    }
    await ring.terminate()
    expect(ring.usable).toBe(false)
    expect(seen.map((s) => s.slot)).toEqual([...Array(1000).keys()])
    expect(seen.some((s) => s.how === 'orphaned')).toBe(true)
    // The next user gets a fresh thread.
    const next = SigningRing.get()
    expect(next).not.toBe(ring)
    expect(next?.usable).toBe(true)
  })
})

describe('signature log', () => {
  it('keeps slot order when the main thread signs beside a full ring', async () => {
    const pair = keyPair()
    const file = Buffer.alloc(64 * 6000)
    const writes: number[] = []
    const store = {
      async putSignatures(firstSlot: number, signatures: Buffer) {
        writes.push(firstSlot)
        signatures.copy(file, 64 * firstSlot)
      },
    }
    const log = new SignatureLog(store, pair.secretKey, true, (err) => {
      throw err
    })
    const messages: Buffer[] = []
    // A loop that never yields: the ring (1024) fills and the main thread signs the overflow.
    for (let slot = 0; slot < 6000; slot++) {
      const message = Buffer.alloc(40, slot % 253)
      message.writeUInt32BE(slot, 0)
      messages.push(message)
      log.request(slot, message)
    }
    expect(log.backlog).toBeGreaterThan(0)
    await log.settle()
    expect(log.backlog).toBe(0)
    for (let slot = 0; slot < 6000; slot++) {
      const stored = file.subarray(64 * slot, 64 * slot + 64)
      expect(stored.equals(sign(messages[slot], pair.secretKey))).toBe(true)
    }
    // Written in slot order (each write starts past the previous one).
    for (let i = 1; i < writes.length; i++) expect(writes[i]).toBeGreaterThan(writes[i - 1])
  })

  it('keeps writers apart when they share the ring', async () => {
    const writers = [keyPair(), keyPair(), keyPair()].map((pair) => {
      const file = Buffer.alloc(64 * 2000)
      const store = {
        async putSignatures(firstSlot: number, signatures: Buffer) {
          signatures.copy(file, 64 * firstSlot)
        },
      }
      const log = new SignatureLog(store, pair.secretKey, true, (err) => {
        throw err
      })
      return { pair, file, log }
    })
    for (let slot = 0; slot < 2000; slot++) {
      for (const [w, { log }] of writers.entries()) {
        const message = Buffer.alloc(40, w)
        message.writeUInt32BE(slot, 0)
        log.request(slot, message)
      }
    }
    await Promise.all(writers.map(({ log }) => log.settle()))
    for (const [w, { pair, file }] of writers.entries()) {
      for (const slot of [0, 1, 999, 1000, 1999]) {
        const message = Buffer.alloc(40, w)
        message.writeUInt32BE(slot, 0)
        expect(file.subarray(64 * slot, 64 * slot + 64).equals(sign(message, pair.secretKey))).toBe(
          true,
        )
      }
    }
  })
})
