// A hostile peer on a Corestore's stream: it opens channels for the store's cores and for cores
// it does not have, closes and reopens them, and sends random messages on them. The store ends
// or ignores what it must, leaves nothing unhandled, and replicates honestly afterwards.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Channel, ProtocolStream } from '@hyperstack/hypercore-protocol'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Corestore } from '../src/corestore.js'
import { discoveryKey } from '../src/index.js'
import { type Send, message } from './hostile-messages.js'

type Step =
  | { kind: 'open'; which: number }
  | { kind: 'close'; which: number }
  | { kind: 'send'; which: number; send: Send }

/** Steps on channel `which`: 0 and 1 are the store's cores, 2 and 3 cores it does not have. */
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('open' as const), which: fc.nat(3) }),
  fc.record({ kind: fc.constant('close' as const), which: fc.nat(3) }),
  fc.record({ kind: fc.constant('send' as const), which: fc.nat(3), send: message }),
)

const BLOCKS = Array.from({ length: 8 }, (_, i) => Buffer.from(`block ${i}`))

async function replicateHonestly(store: Corestore, key: Buffer): Promise<Buffer> {
  const reader = new Corestore(join(mkdtempSync(join(tmpdir(), 'corestore-reader-')), 'store'))
  await reader.ready()
  const left = store.replicate(true, { live: true })
  const right = reader.replicate(false, { live: true })
  left.on('error', () => {})
  right.on('error', () => {})
  left.pipe(right).pipe(left)
  try {
    const core = reader.get({ key })
    return (await core.get(5, { timeout: 5000 })) as Buffer
  } finally {
    left.destroy()
    right.destroy()
    await reader.close()
  }
}

describe('a hostile peer on a Corestore stream', () => {
  it('opens, closes and floods channels; the store keeps serving', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corestore-hostile-'))
    const store = new Corestore(join(dir, 'store'))
    const unhandled: unknown[] = []
    const onunhandled = (err: unknown) => unhandled.push(err)
    process.on('unhandledRejection', onunhandled)
    try {
      await store.ready()
      const own = [store.default(), store.get({ name: 'second' })]
      for (const core of own) await core.append(BLOCKS)
      const keys = [
        ...own.map((core) => core.key as Buffer),
        Buffer.alloc(32, 1),
        Buffer.alloc(32, 2),
      ]
      const discoveryKeys = keys.map((key) => discoveryKey(key))
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 16 }), async (steps) => {
          const evil = new ProtocolStream(true, { live: true })
          const victim = store.replicate(false, { live: true })
          evil.on('error', () => {})
          victim.on('error', () => {})
          evil.pipe(victim).pipe(evil)
          await new Promise<void>((resolve) => evil.once('handshake', () => resolve()))
          // channels both sides opened (the store opens its own cores' on demand, a moment later)
          const open = new Map<number, Channel>()
          for (const s of steps) {
            if (evil.destroyed) break
            if (s.kind === 'open') {
              await new Promise<void>((resolve) => {
                const timer = setTimeout(resolve, 50)
                const channel: Channel = evil.open(keys[s.which], {
                  onopen: () => {
                    open.set(s.which, channel)
                    clearTimeout(timer)
                    resolve()
                  },
                  // (a store refuses a core it does not have with Close)
                  onclose: () => {
                    open.delete(s.which)
                    clearTimeout(timer)
                    resolve()
                  },
                })
              })
            } else if (s.kind === 'close') {
              evil.close(discoveryKeys[s.which])
              open.delete(s.which)
            } else {
              const channel = open.get(s.which)
              if (channel) s.send(channel)
            }
            await new Promise((resolve) => setImmediate(resolve))
          }
          for (let k = 0; k < 20; k++) await new Promise((resolve) => setImmediate(resolve))
          evil.destroy()
          victim.destroy()
        }),
        { numRuns: 150 },
      )
      expect(unhandled).toEqual([])
      for (const core of own) expect(await core.get(7)).toEqual(BLOCKS[7])
      expect(await replicateHonestly(store, keys[1])).toEqual(BLOCKS[5])
    } finally {
      process.off('unhandledRejection', onunhandled)
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
