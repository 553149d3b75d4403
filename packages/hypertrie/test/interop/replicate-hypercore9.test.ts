// Replication between ours and hypertrie@5 over hypercore@9 feeds, sparse, with the lookup
// extension answering in both directions.
import { describe, expect, it } from 'vitest'
import { Hypertrie, type ReplicationStream } from '../../src/index.js'
import {
  type OriginalReplicationStream,
  type V5Node,
  V9FeedAdapter,
  call,
  hypercore9,
  hypertrie5,
  ram3,
} from './helpers/originals.js'

type Replicating = ReplicationStream | OriginalReplicationStream

function pipeStreams(a: Replicating, b: Replicating): () => void {
  a.pipe(b).pipe(a)
  const swallow = () => {}
  a.on('error', swallow)
  b.on('error', swallow)
  return () => {
    a.destroy()
    b.destroy()
  }
}

function waitFor<T>(
  emitter: { once(e: string, fn: (x: T) => void): void },
  event: string,
  ms = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out waiting for ${event}`)), ms)
    emitter.once(event, (x: T) => {
      clearTimeout(t)
      resolve(x)
    })
  })
}

describe('replication with hypertrie@5', () => {
  it('ours writes, a sparse hypertrie@5 reader gets and lists; our writer answers its extension requests', async () => {
    const writer = new Hypertrie(null, { feed: new V9FeedAdapter(hypercore9(ram3)) })
    await writer.ready()
    await writer.batch(
      Array.from({ length: 200 }, (_, i) => ({
        key: `dir${i % 4}/file-${i}`,
        value: Buffer.from(`v${i}`),
      })),
    )

    const reader = hypertrie5(ram3, writer.key, { sparse: true, alwaysUpdate: true })
    await call((cb) => reader.ready(cb))
    const stop = pipeStreams(
      writer.replicate(true, { live: true }),
      reader.replicate(false, { live: true }),
    )
    try {
      const answered = waitFor<string>(writer, 'extension-get')
      const node = await call<V5Node | null>((cb) => reader.get('dir1/file-13', {}, cb))
      expect(node?.value?.toString()).toBe('v13')
      expect(await answered).toBe('dir1/file-13')
      const listed = await call<V5Node[]>((cb) => reader.list('dir2', {}, cb))
      expect(listed.map((n) => n.key).sort()).toEqual(
        Array.from({ length: 50 }, (_, k) => `dir2/file-${4 * k + 2}`).sort(),
      )
      expect(writer.extensionStats.answered).toBeGreaterThanOrEqual(2)
    } finally {
      stop()
      await writer.close()
      await call((cb) => reader.feed.close(cb))
    }
  })

  it('hypertrie@5 writes, our sparse reader resolves a key in one extension round trip', async () => {
    const writer = hypertrie5(ram3)
    await call((cb) => writer.ready(cb))
    await call((cb) =>
      writer.batch(
        Array.from({ length: 300 }, (_, i) => ({
          type: 'put',
          key: `dir${i % 4}/file-${i}`,
          value: Buffer.from(`v${i}`),
        })),
        cb,
      ),
    )

    const feed = new V9FeedAdapter(hypercore9(ram3, writer.key, { sparse: true }))
    const reader = new Hypertrie(null, { feed, alwaysUpdate: true })
    await reader.ready()
    const stop = pipeStreams(
      writer.replicate(true, { live: true }),
      reader.replicate(false, { live: true }),
    )
    try {
      // count the blocks the reader had to wait for one at a time (each is a round trip)
      let serialWaits = 0
      const seen: number[] = []
      const node = await reader.get('dir3/file-123', {
        onseq: (s) => {
          seen.push(s)
          if (!feed.has(s)) serialWaits++
        },
      })
      expect(node?.value?.toString()).toBe('v123')
      expect(reader.extensionStats.sentGets).toBe(1)
      expect(reader.extensionStats.cachesReceived).toBeGreaterThanOrEqual(1)
      // without the extension every level is a round trip; with it only the head is
      expect(seen.length).toBeGreaterThan(2)
      expect(serialWaits).toBeLessThanOrEqual(2)

      const list = await reader.list('dir1')
      expect(list.length).toBe(75)
      expect(reader.extensionStats.sentIterators).toBeGreaterThanOrEqual(1)
    } finally {
      stop()
      await reader.close()
      await call((cb) => writer.feed.close(cb))
    }
  })
})
