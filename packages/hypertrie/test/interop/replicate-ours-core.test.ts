// Replication between our trie on @hyperstack/hypercore and hypertrie@5 on hypercore@9, sparse,
// with the lookup extension answered and used in both directions.
import { describe, expect, it } from 'vitest'
import { Hypertrie } from '../../src/index.js'
import { newCore } from '../helpers/cores.js'
import { liveSparseReader } from '../helpers/readers.js'
import { connect, waitForEvent } from '../helpers/streams.js'
import { type V5Node, call, hypertrie5, ram3 } from './helpers/originals.js'

/**
 * A hypertrie@5 writer holding `keys` keys (`dir<i % 4>/file-<i>` = `v<i>`) and our sparse reader
 * of it, replicating live; `stop` ends the streams.
 */
async function originalWriterOurReader(keys: number) {
  const writer = hypertrie5(ram3)
  await call((cb) => writer.ready(cb))
  await call((cb) =>
    writer.batch(
      Array.from({ length: keys }, (_, i) => ({
        type: 'put',
        key: `dir${i % 4}/file-${i}`,
        value: Buffer.from(`v${i}`),
      })),
      cb,
    ),
  )
  const { reader, stop } = await liveSparseReader(writer)
  return { writer, reader, stop }
}

describe('replication: our core <-> hypercore@9', () => {
  it('ours writes; a sparse hypertrie@5 reads, our writer answers its lookups', async () => {
    const writer = new Hypertrie(null, { feed: newCore() })
    await writer.ready()
    await writer.batch(
      Array.from({ length: 200 }, (_, i) => ({
        key: `dir${i % 4}/file-${i}`,
        value: Buffer.from(`v${i}`),
      })),
    )
    const reader = hypertrie5(ram3, writer.key, { sparse: true, alwaysUpdate: true })
    await call((cb) => reader.ready(cb))
    const stop = connect(
      writer.replicate(true, { live: true }),
      reader.replicate(false, { live: true }),
    )
    try {
      const answered = waitForEvent<string>(writer, 'extension-get')
      const node = await call<V5Node | null>((cb) => reader.get('dir1/file-13', {}, cb))
      expect(node?.value?.toString()).toBe('v13')
      expect(await answered).toBe('dir1/file-13')
      const listed = await call<V5Node[]>((cb) => reader.list('dir2', {}, cb))
      expect(listed.length).toBe(50)
    } finally {
      stop()
      await writer.close()
      await call((cb) => reader.feed.close(cb))
    }
  })

  it('hypertrie@5 writes; our sparse reader uses its extension answers', async () => {
    const { writer, reader, stop } = await originalWriterOurReader(300)
    try {
      const node = await reader.get('dir3/file-123')
      expect(node?.valueBuffer?.toString()).toBe('v123')
      expect(reader.extensionStats.sentGets).toBe(1)
      expect(reader.extensionStats.cachesReceived).toBeGreaterThanOrEqual(1)
      const list = await reader.list('dir1')
      expect(list.length).toBe(75)
      const history = []
      for await (const n of reader.history({ gte: 290 })) history.push(n.seq)
      expect(history).toEqual(Array.from({ length: 11 }, (_, k) => 290 + k))
    } finally {
      stop()
      await reader.close()
      await call((cb) => writer.feed.close(cb))
    }
  })

  it('our sparse reader keeps 100 concurrent gets within what hypertrie@5 answers at once', async () => {
    const { writer, reader, stop } = await originalWriterOurReader(400)
    try {
      // hypertrie@5 runs at most 32 requests at once and drops the rest without a word.
      const picked = Array.from({ length: 100 }, (_, k) => (k * 7919 + 13) % 400)
      const nodes = await Promise.all(picked.map((i) => reader.get(`dir${i % 4}/file-${i}`)))
      expect(nodes.map((n) => n?.valueBuffer?.toString())).toEqual(picked.map((i) => `v${i}`))
      expect(reader.extensionStats.waitTimeouts).toBe(0)
    } finally {
      stop()
      await reader.close()
      await call((cb) => writer.feed.close(cb))
    }
  })
})
