// Random, well-framed message sequences from a hostile peer, to a seeder and to a sparse reader:
// whatever arrives, nothing throws out of the stream, nothing unverified is stored, the victim
// still reads and writes, and an honest peer replicates with it afterwards.
import type { Channel } from '@hyperstack/hypercore-protocol'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Hypercore } from '../src/index.js'
import { memoryStorage, rawPeer, replicateLive } from './helpers.js'
import { type Reply, type Send, message, reply } from './hostile-messages.js'

const BLOCKS = Array.from({ length: 16 }, (_, i) => Buffer.from(`block ${i}`))

/**
 * Opens a raw channel to `victim`, sends `sends` once both sides have opened it, and answers
 * every request with `answer` (when given) for the block asked.
 */
async function attack(victim: Hypercore, sends: Send[], answer?: Reply): Promise<void> {
  const { stream, end } = rawPeer(victim)
  await new Promise<void>((resolve) => {
    const channel: Channel = stream.open(victim.key as Buffer, {
      onopen: () => {
        for (const send of sends) send(channel)
        resolve()
      },
      onrequest: (request) => {
        if (answer) channel.data({ index: request.index, ...answer })
      },
    })
    // a victim that ends the stream before the channel opens is an answer too
    stream.once('close', () => resolve())
  })
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve))
  end()
}

describe('a hostile peer sending random messages', () => {
  it('leaves a seeder serving and writing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 12 }), async (sends) => {
        const seeder = new Hypercore(memoryStorage())
        await seeder.append(BLOCKS)
        try {
          await attack(seeder, sends)
          expect(await seeder.get(3)).toEqual(BLOCKS[3])
          await seeder.append(Buffer.from('after'))
          expect((await seeder.audit()).invalid).toBe(0)
          const reader = new Hypercore(memoryStorage(), seeder.key, { sparse: true })
          const end = replicateLive(seeder, reader)
          expect(await reader.get(16)).toEqual(Buffer.from('after'))
          end()
          await reader.close()
        } finally {
          await seeder.close()
        }
      }),
      { numRuns: 100 },
    )
  }, 60_000)

  it('leaves a sparse reader without unverified blocks, and replicating honestly', async () => {
    const seeder = new Hypercore(memoryStorage())
    await seeder.append(BLOCKS)
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(message, { minLength: 1, maxLength: 12 }),
          reply,
          async (sends, answer) => {
            const reader = new Hypercore(memoryStorage(), seeder.key, { sparse: true })
            await reader.ready()
            // gets waiting on every block: the peer's Haves draw requests, its Data gets verified
            const waiting = BLOCKS.map((_, i) =>
              reader.get(i, { timeout: 2000 }).then(
                (block) => block,
                () => null,
              ),
            )
            try {
              // it claims every block first, so the reader's requests come to it
              const claim: Send = (c) => c.have({ start: 0, length: BLOCKS.length })
              await attack(reader, [claim, ...sends], answer)
              expect(reader.length).toBe(0)
              expect(reader.downloaded()).toBe(0)
              const end = replicateLive(seeder, reader)
              expect(await reader.get(5)).toEqual(BLOCKS[5])
              // the gets that waited through the attack are served by the honest peer
              expect(await Promise.all(waiting)).toEqual(BLOCKS)
              end()
            } finally {
              await reader.close()
            }
          },
        ),
        { numRuns: 100 },
      )
    } finally {
      await seeder.close()
    }
  }, 60_000)
})
