// BlockArrivals: missing blocks of a sparse replica come from the core's 'download' events (no
// read back), with a get() fallback when a selection ends without an event, and typed failures.
import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { BlockArrivals } from '../src/block-arrivals.js'
import type { DriveCore } from '../src/drive-backend.js'

/** A sparse core of 8 blocks; download() returns a handle the test settles by hand. */
class FakeCore extends EventEmitter {
  readonly key = null
  readonly discoveryKey = null
  readonly length = 8
  readonly byteLength = 8
  readonly writable = false
  readonly stored = new Set<number>()
  readonly gets: number[] = []
  readonly downloads: { start: number; end: number }[] = []
  readonly handles: {
    promise: Promise<void>
    resolve(): void
    reject(err: Error): void
    cancelled: boolean
  }[] = []

  async ready(): Promise<void> {}
  async append(): Promise<unknown> {
    return null
  }
  async get(index: number): Promise<unknown> {
    this.gets.push(index)
    return Buffer.from([index])
  }
  has(index: number): boolean {
    return this.stored.has(index)
  }
  async seek(): Promise<[number, number]> {
    return [0, 0]
  }
  async close(): Promise<void> {}
  download(range: { start?: number; end?: number }): unknown {
    this.downloads.push({ start: range.start ?? 0, end: range.end ?? -1 })
    let resolve!: () => void
    let reject!: (err: Error) => void
    const promise = new Promise<void>((res, rej) => {
      resolve = res
      reject = rej
    })
    promise.catch(() => {})
    const entry = { promise, resolve, reject, cancelled: false }
    this.handles.push(entry)
    return Object.assign(
      promise.then(() => {}),
      {
        cancel: () => {
          entry.cancelled = true
          reject(Object.assign(new Error('cancelled'), { code: 'ERR_CANCELLED' }))
        },
      },
    )
  }
  /** A block verified and stored: the event our core emits. */
  arrive(index: number): void {
    this.stored.add(index)
    this.emit('download', index, Buffer.from([100 + index]), null)
  }
}

function asCore(core: FakeCore): DriveCore {
  return core as unknown as DriveCore
}

describe('BlockArrivals', () => {
  it('resolves missing blocks with the bytes of their download event, one selection per batch', async () => {
    const core = new FakeCore()
    core.stored.add(2)
    const arrivals = new BlockArrivals(asCore(core))
    const waits = [1, 2, 3].map((i) => arrivals.get(i))
    arrivals.request()
    expect(core.downloads).toEqual([{ start: 1, end: 4 }])
    core.arrive(3)
    core.arrive(1)
    const got = await Promise.all(waits)
    expect(got).toEqual([Buffer.from([101]), Buffer.from([2]), Buffer.from([103])])
    // Only the stored block was read; the others came from their events.
    expect(core.gets).toEqual([2])
    arrivals.close()
    expect(core.listenerCount('download')).toBe(0)
  })

  it('shares one download listener among the reads of a core, however many run', async () => {
    const core = new FakeCore()
    const reads = Array.from({ length: 16 }, () => new BlockArrivals(asCore(core)))
    expect(core.listenerCount('download')).toBe(1)
    const waits = reads.map((arrivals, i) => arrivals.get(i % 8))
    for (const arrivals of reads) arrivals.request()
    for (let i = 0; i < 8; i++) core.arrive(i)
    const got = await Promise.all(waits)
    expect(got).toEqual(reads.map((_, i) => Buffer.from([100 + (i % 8)])))
    // The listener stays while any read is open and leaves with the last.
    for (const arrivals of reads.slice(1)) arrivals.close()
    expect(core.listenerCount('download')).toBe(1)
    reads[0].close()
    expect(core.listenerCount('download')).toBe(0)
    // A read opened afterwards listens again.
    const later = new BlockArrivals(asCore(core))
    core.stored.delete(6)
    const wait = later.get(6)
    later.request()
    core.arrive(6)
    expect(await wait).toEqual(Buffer.from([106]))
    expect(core.listenerCount('download')).toBe(1)
    later.close()
    expect(core.listenerCount('download')).toBe(0)
  })

  it('reads a block whose selection completed without its event', async () => {
    const core = new FakeCore()
    const arrivals = new BlockArrivals(asCore(core))
    const wait = arrivals.get(5)
    arrivals.request()
    core.stored.add(5)
    core.handles[0].resolve()
    expect(await wait).toEqual(Buffer.from([5]))
    expect(core.gets).toEqual([5])
    arrivals.close()
  })

  it('fails the waits of a selection that fails, and cancels what runs on close', async () => {
    const core = new FakeCore()
    const arrivals = new BlockArrivals(asCore(core))
    const failing = arrivals.get(0)
    arrivals.request()
    const closed = Object.assign(new Error('closed'), { code: 'ERR_CLOSED' })
    core.handles[0].reject(closed)
    await expect(failing).rejects.toMatchObject({ code: 'ERR_CLOSED' })

    const dropped = arrivals.get(6)
    dropped.catch(() => {})
    arrivals.request()
    arrivals.close()
    expect(core.handles[1].cancelled).toBe(true)
    expect(core.listenerCount('download')).toBe(0)
    // After close, gets go straight to the core.
    expect(await arrivals.get(7)).toEqual(Buffer.from([7]))
  })

  it('only serves sparse replicas that can download', () => {
    const core = new FakeCore()
    expect(BlockArrivals.supports(asCore(core))).toBe(true)
    const writable = Object.assign(new FakeCore(), { writable: true })
    expect(BlockArrivals.supports(asCore(writable))).toBe(false)
  })
})
