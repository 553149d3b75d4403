// Replication between two of our cores over a stream pair: full, sparse, live, toggles, extensions.
import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import type { Hypercore } from '../src/index.js'
import { closedAfterEach } from './helpers.js'

const { closers, memoryCore: core } = closedAfterEach()

function pair(a: Hypercore, b: Hypercore, opts: { live?: boolean } = {}) {
  const s1 = a.replicate(true, opts)
  const s2 = b.replicate(false, opts)
  s1.pipe(s2).pipe(s1)
  closers.push(() => {
    s1.destroy()
    s2.destroy()
  })
  return [s1, s2] as const
}

function once<T extends unknown[]>(
  emitter: Hypercore,
  event: 'append' | 'download' | 'peer-error',
  ms = 5000,
) {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms)
    emitter.once(event, (...args: unknown[]) => {
      clearTimeout(timer)
      resolve(args as T)
    })
  })
}

describe('replication (ours <-> ours)', () => {
  it('a non-sparse reader downloads everything and the stream ends when in sync', async () => {
    const writer = core()
    const blocks = Array.from({ length: 200 }, (_, i) => Buffer.from(`block ${i}`))
    await writer.append(blocks)
    const reader = core(writer.key)
    await reader.ready()
    const [s1] = pair(writer, reader)
    const ended = new Promise<void>((resolve) => s1.once('close', () => resolve()))
    await reader.download({ start: 0, end: 200 })
    expect(reader.length).toBe(200)
    for (let i = 0; i < 200; i += 13) expect((await reader.get(i)) as Buffer).toEqual(blocks[i])
    expect(await reader.audit()).toEqual({ valid: 200, invalid: 0 })
    await ended
  })

  it('a sparse reader fetches only what get asks for', async () => {
    const writer = core()
    await writer.append(Array.from({ length: 50 }, (_, i) => Buffer.from(`b${i}`)))
    const reader = core(writer.key, { sparse: true })
    pair(writer, reader, { live: true })
    expect(((await reader.get(37)) as Buffer).toString()).toBe('b37')
    expect(reader.length).toBe(50)
    expect(reader.downloaded()).toBe(1)
    expect(reader.has(36)).toBe(false)
  })

  it('live appends reach a live reader without polling', async () => {
    const writer = core()
    await writer.append('first')
    const reader = core(writer.key)
    pair(writer, reader, { live: true })
    await reader.update({ minLength: 1 })
    const next = once(reader, 'download')
    await writer.append('second')
    await next
    expect(((await reader.get(1)) as Buffer).toString()).toBe('second')
    const seen: string[] = []
    const rs = reader.createReadStream({ live: true, start: 2 })
    const got = new Promise<void>((resolve) =>
      rs.on('data', (b: unknown) => {
        seen.push(String(b))
        if (seen.length === 2) resolve()
      }),
    )
    await writer.append(['third', 'fourth'])
    await got
    rs.destroy()
    expect(seen).toEqual(['third', 'fourth'])
  })

  it('sparse update fetches the new length with a hash-only request', async () => {
    const writer = core()
    await writer.append(['a', 'b', 'c'])
    const reader = core(writer.key, { sparse: true })
    pair(writer, reader, { live: true })
    await reader.update({ minLength: 3 })
    expect(reader.length).toBe(3)
    expect(reader.downloaded()).toBe(0)
  })

  it('concurrent updates waiting for a peer to be heard share one set of listeners', async () => {
    const a = core()
    await a.append([Buffer.from('x')])
    const b = core(a.key, { sparse: true })
    await b.ready()
    let most = 0
    // (Hypercore types its own events; newListener is EventEmitter's.)
    EventEmitter.prototype.on.call(b, 'newListener', (event: string) => {
      if (event === 'peer-open') most = Math.max(most, b.listenerCount('peer-open') + 1)
    })
    pair(a, b, { live: true })
    await Promise.all(
      Array.from({ length: 20 }, () => b.update({ ifAvailable: true, minLength: 1 })),
    )
    expect(b.length).toBe(1)
    expect(most).toBe(1)
  })

  it('get with ifAvailable fails when no peer has the block', async () => {
    const writer = core()
    await writer.append(['a'])
    const reader = core(writer.key, { sparse: true })
    pair(writer, reader, { live: true })
    await expect(reader.get(5, { ifAvailable: true })).rejects.toMatchObject({
      code: 'ERR_BLOCK_NOT_AVAILABLE',
    })
  })

  it('upload toggle: a writer that does not upload serves nothing', async () => {
    const writer = core(null, { uploading: false })
    await writer.append(['a', 'b'])
    const reader = core(writer.key, { sparse: true })
    pair(writer, reader, { live: true })
    await expect(reader.get(0, { timeout: 300 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' })
    writer.setUploading(true)
    expect(((await reader.get(0)) as Buffer).toString()).toBe('a')
  })

  it('feed extensions carry messages both ways', async () => {
    const writer = core()
    await writer.append('x')
    const reader = core(writer.key, { sparse: true })
    const got = new Promise<string>((resolve) => {
      writer.registerExtension<string>('test-ext', {
        encoding: 'utf-8',
        onmessage: (m) => resolve(m),
      })
    })
    const ext = reader.registerExtension<string>('test-ext', { encoding: 'utf-8' })
    pair(writer, reader, { live: true })
    await reader.get(0)
    ext.broadcast('hello writer')
    expect(await got).toBe('hello writer')
  })
})
