// Proves the originals we test against run on this machine: two hypercore@9 instances replicate.
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'

const require = createRequire(import.meta.url)

interface OriginalFeed {
  key: Buffer
  length: number
  ready(cb: (err: Error | null) => void): void
  append(data: Buffer | Buffer[], cb: (err: Error | null) => void): void
  get(index: number, cb: (err: Error | null, block: Buffer) => void): void
  replicate(isInitiator: boolean, opts?: object): NodeJS.ReadWriteStream
}
type OriginalHypercore = (storage: unknown, key?: Buffer) => OriginalFeed
const hypercore = require('hypercore') as OriginalHypercore
const ram = require('random-access-memory-v3') as () => unknown

const call = <T>(
  fn: (cb: (err: Error | null, value?: T) => void) => void,
): Promise<T | undefined> =>
  new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))))

describe('hypercore@9 smoke', () => {
  it('replicates two blocks between two instances over a stream pair', async () => {
    const writer = hypercore(ram)
    await call((cb) => writer.ready(cb))
    await call((cb) => writer.append([Buffer.from('hello'), Buffer.from('world')], cb))

    const reader = hypercore(ram, writer.key)
    await call((cb) => reader.ready(cb))
    const a = writer.replicate(true, { live: false })
    const b = reader.replicate(false, { live: false })
    a.pipe(b).pipe(a)

    const second = await call<Buffer>((cb) => reader.get(1, cb))
    expect(second?.toString()).toBe('world')
    const first = await call<Buffer>((cb) => reader.get(0, cb))
    expect(first?.toString()).toBe('hello')
  })
})
