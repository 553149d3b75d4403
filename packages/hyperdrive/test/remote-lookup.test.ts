// A sparse replica finds a file's Stat in one round trip: the trie's lookup answer carries the
// metadata blocks on the path (the metadata core takes pushes), so the reader requests none of
// them after the answer. Rounds are counted on a gated link: traffic moves only when released,
// and a round is a release that carries bytes from the reader to the writer.
import { afterEach, describe, expect, it } from 'vitest'
import { Hyperdrive, type ReplicationStream } from '../src/index.js'
import { memoryStorage } from './helpers/hyperstack-backend.js'

const cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn()
})

/** Lets every callback of the in-memory storage and streams run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve))
}

/** Two streams joined by a link that holds each direction's bytes until `release()`. */
function gatedLink(writer: ReplicationStream, reader: ReplicationStream) {
  const toReader: Uint8Array[] = []
  const toWriter: Uint8Array[] = []
  writer.on('data', (chunk) => toReader.push(chunk))
  reader.on('data', (chunk) => toWriter.push(chunk))
  return {
    /** Delivers what is held; true when the reader had sent anything (one more round). */
    release(): boolean {
      const round = toWriter.length > 0
      for (const chunk of toWriter.splice(0)) writer.write(chunk)
      for (const chunk of toReader.splice(0)) reader.write(chunk)
      return round
    },
    idle(): boolean {
      return toReader.length === 0 && toWriter.length === 0
    },
  }
}

/** Releases traffic until `done` settles; the rounds it took. */
async function roundsUntil(link: ReturnType<typeof gatedLink>, done: Promise<unknown>) {
  let finished = false
  done.then(
    () => {
      finished = true
    },
    () => {
      finished = true
    },
  )
  let rounds = 0
  // Bounded: a lookup that falls back to its own requests waits on a timer (hundreds of ms).
  const deadline = Date.now() + 10_000
  while (!finished && Date.now() < deadline) {
    await settle()
    if (link.release()) rounds++
    else await new Promise((resolve) => setTimeout(resolve, 2))
  }
  if (!finished) throw new Error('the lookup did not finish within 10 s of released traffic')
  await done
  return rounds
}

describe('remote lookups', () => {
  it('a sparse replica stats and reads a file in one round trip after the first', async () => {
    const writer = new Hyperdrive(memoryStorage())
    await writer.ready()
    cleanup.push(() => writer.close())
    for (let d = 0; d < 10; d++) {
      await writer.mkdir(`/d${d}`)
      for (let f = 0; f < 40; f++) await writer.writeFile(`/d${d}/f${f}.txt`, `file ${d}/${f}`)
    }
    const reader = new Hyperdrive(memoryStorage(), writer.key)
    await reader.ready()
    cleanup.push(() => reader.close())
    const a = writer.replicate(true)
    const b = reader.replicate(false)
    cleanup.push(() => {
      a.destroy()
      b.destroy()
    })
    const link = gatedLink(a, b)
    // Handshake, the first update and the content core: not what is counted.
    expect((await roundsUntil(link, reader.readFile('/d0/f0.txt', 'utf-8'))) >= 1).toBe(true)
    for (let step = 0; step < 100 && !link.idle(); step++) {
      await settle()
      link.release()
    }

    const stat = reader.stat('/d7/f31.txt')
    expect(await roundsUntil(link, stat)).toBe(1)
    expect((await stat).size).toBe('file 7/31'.length)
    const other = reader.stat('/d3/f12.txt')
    expect(await roundsUntil(link, other)).toBe(1)
    expect((await other).isFile()).toBe(true)
  })
})
