// hypercore@9's own replication state machine (lib/replicate.js) running over OUR stream: it takes
// any stream with hypercore-protocol@8's API through `replicate(initiator, { stream })`. A full
// download between two original hypercores, with ours on one or both ends.
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { ProtocolStream } from '../../src/index.js'
import { closed } from '../helpers/wait.js'

// hypercore@9 and the random-access-memory it expects are this package's devDependencies.
const require = createRequire(import.meta.url)

interface FeedExtension {
  broadcast(message: unknown): void
}

interface Feed {
  key: Buffer
  length: number
  on(event: string, fn: () => void): void
  registerExtension(
    name: string,
    handlers: { encoding?: string; onmessage?: (message: unknown) => void },
  ): FeedExtension
  ready(cb: (err: Error | null) => void): void
  append(data: Buffer[], cb: (err: Error | null) => void): void
  get(index: number, cb: (err: Error | null, block: Buffer) => void): void
  replicate(initiator: boolean, opts?: object): ProtocolStream
  close(cb: (err: Error | null) => void): void
}

const call = <T>(
  fn: (cb: (err: Error | null, value?: T) => void) => void,
): Promise<T | undefined> =>
  new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))))

const BLOCKS = ['a', 'bb', 'ccc', 'dddd', 'eeeee', 'ffffff'].map((s) => Buffer.from(s))

async function feeds(readerOpts: object = {}) {
  const hypercore = require('hypercore') as (storage: unknown, key?: Buffer, opts?: object) => Feed
  const ram = require('random-access-memory-v3') as () => unknown
  const writer = hypercore(ram)
  await call((cb) => writer.ready(cb))
  await call((cb) => writer.append(BLOCKS, cb))
  const reader = hypercore(ram, writer.key, readerOpts)
  await call((cb) => reader.ready(cb))
  return { writer, reader }
}

describe('interop: hypercore@9 replicating over our ProtocolStream', () => {
  const SETUPS = [
    ['writer on ours (initiator), reader on the original', true, false],
    ['writer on the original (initiator), reader on ours', false, true],
    ['both on ours', true, true],
  ] as const
  for (const [name, writerOnOurs, readerOnOurs] of SETUPS) {
    it(`${name}: a non-live full download completes and both streams end`, async () => {
      const { writer, reader } = await feeds()
      const a = writerOnOurs
        ? writer.replicate(true, { stream: new ProtocolStream(true), live: false })
        : writer.replicate(true, { live: false })
      const b = readerOnOurs
        ? reader.replicate(false, { stream: new ProtocolStream(false), live: false })
        : reader.replicate(false, { live: false })
      const ends = Promise.all([closed(a, 10000), closed(b, 10000)])
      a.pipe(b).pipe(a)
      const blocks = await Promise.all(
        BLOCKS.map((_, i) => call<Buffer>((cb) => reader.get(i, cb))),
      )
      expect(blocks.map((b) => b?.toString())).toEqual(BLOCKS.map((b) => b.toString()))
      expect(await ends).toEqual([null, null])
      expect(reader.length).toBe(BLOCKS.length)
      await call((cb) => writer.close(cb))
      await call((cb) => reader.close(cb))
    })
  }

  it('both on ours, live and sparse: feed extensions, a get, and a live append announced by Have', async () => {
    const { writer, reader } = await feeds({ sparse: true })
    const got = new Promise<unknown>((resolve) => {
      writer.registerExtension('spec-ext', { encoding: 'json', onmessage: resolve })
    })
    reader.registerExtension('another-ext', {})
    const ext = reader.registerExtension('spec-ext', { encoding: 'json' })
    const a = writer.replicate(true, {
      stream: new ProtocolStream(true, { live: true }),
      live: true,
    })
    const b = reader.replicate(false, {
      stream: new ProtocolStream(false, { live: true }),
      live: true,
    })
    a.pipe(b).pipe(a)
    expect((await call<Buffer>((cb) => reader.get(3, cb)))?.toString()).toBe('dddd')
    ext.broadcast({ hi: 'from the reader' })
    expect(await got).toEqual({ hi: 'from the reader' })
    const next = call<Buffer>((cb) => reader.get(BLOCKS.length, cb))
    await call((cb) => writer.append([Buffer.from('live!')], cb))
    expect((await next)?.toString()).toBe('live!')
    const ends = Promise.all([closed(a), closed(b)])
    a.destroy()
    expect((await ends)[0]).toBe(null)
    await call((cb) => writer.close(cb))
    await call((cb) => reader.close(cb))
  })
})
