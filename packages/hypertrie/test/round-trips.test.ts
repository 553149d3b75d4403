// A remote get of our sparse reader costs one round trip: one lookup request, every block the walk
// needs pushed with the answer, none requested on its own (a second round trip) and no wait that
// ends in a timeout, also when keys collide and the walk reads colliding siblings.
import type { Hypercore } from '@hyperstack/hypercore'
import { describe, expect, it, vi } from 'vitest'
import { Hypertrie, type HypertrieOptions } from '../src/index.js'
import { ramStorage } from './helpers/cores.js'
import { connect } from './helpers/streams.js'

interface RemoteGetCost {
  /** lookup requests the reader broadcast */
  requests: number
  /** blocks the writer sent */
  uploads: number
  /** of those, blocks pushed with an answer */
  pushed: number
}

/** A writer with `keys` and a sparse replica of it, connected; `run` gets keys on the replica. */
async function withReplica(
  keys: string[],
  opts: HypertrieOptions,
  run: (get: (key: string) => Promise<RemoteGetCost>, reader: Hypertrie) => Promise<void>,
): Promise<void> {
  const writer = new Hypertrie(ramStorage, null, opts)
  await writer.ready()
  for (let i = 0; i < keys.length; i += 100) {
    const ops = keys.slice(i, i + 100).map((key) => ({
      type: 'put' as const,
      key,
      value: Buffer.from(`v:${key}`),
    }))
    await writer.batch(ops)
  }
  const reader = new Hypertrie(ramStorage, writer.key, { ...opts, sparse: true })
  await reader.ready()
  const stop = connect(
    writer.replicate(true, { live: true }),
    reader.replicate(false, { live: true }),
  )
  let uploads = 0
  const onupload = () => {
    uploads++
  }
  const core = writer.feed as Hypercore
  core.on('upload', onupload)
  try {
    await reader.feed.update?.({ ifAvailable: false })
    await run(async (key) => {
      const before = { requests: reader.extensionStats.sentGets, uploads, pushed: 0 }
      const pushedBefore = writer.extensionStats.pushed
      const node = await reader.get(key)
      expect(node?.valueBuffer?.toString()).toBe(`v:${key}`)
      return {
        requests: reader.extensionStats.sentGets - before.requests,
        uploads: uploads - before.uploads,
        pushed: writer.extensionStats.pushed - pushedBefore,
      }
    }, reader)
  } finally {
    core.removeListener('upload', onupload)
    stop()
    await reader.close()
    await writer.close()
  }
}

/** Deterministic spread of indexes in [0, n). */
function spread(count: number, n: number): number[] {
  return Array.from({ length: count }, (_, k) => (k * 7919 + 13) % n)
}

describe('round trips of a remote get', () => {
  it('a download with no lookup running decodes none of the blocks it brings', async () => {
    const keys = Array.from({ length: 200 }, (_, i) => `dir${i % 4}/file${i}`)
    await withReplica(keys, {}, async (_get, reader) => {
      const feed = reader.feed as Hypercore
      await feed.download({ start: 0, end: feed.length })
      // Nothing asked for these blocks' nodes, so a get reads the ones it walks from storage
      // (decoding every block of a download cost 15-20% of a 10k-block metadata download).
      const reads = vi.spyOn(feed, 'get')
      const node = await reader.get(keys[123])
      expect(node?.valueBuffer?.toString()).toBe(`v:${keys[123]}`)
      expect(reads).toHaveBeenCalled()
      expect(reader.extensionStats.sentGets).toBe(0)
    })
  })

  it('100 concurrent gets are all answered: none waits out a timeout', async () => {
    const keys = Array.from({ length: 400 }, (_, i) => `dir${i % 4}/file${i}`)
    await withReplica(keys, {}, async (_get, reader) => {
      // A peer runs at most 32 requests at once and drops the rest; the reader keeps the rest
      // queued until answers come back instead of waiting a timeout for each dropped one.
      const picked = spread(100, keys.length).map((i) => keys[i])
      const nodes = await Promise.all(picked.map((key) => reader.get(key)))
      expect(nodes.map((n) => n?.valueBuffer?.toString())).toEqual(picked.map((k) => `v:${k}`))
      expect(reader.extensionStats.waitTimeouts).toBe(0)
      expect(reader.extensionStats.sentGets).toBeGreaterThan(32)
    })
  })

  it('one request per get, every needed block pushed with the answer', async () => {
    const keys = Array.from({ length: 3000 }, (_, i) => `dir${i % 30}/file${i}`)
    await withReplica(keys, {}, async (get, reader) => {
      let fetched = 0
      for (const i of spread(40, keys.length)) {
        const cost = await get(keys[i])
        // a get whose nodes were all local already asks nothing
        expect(cost.requests).toBeLessThanOrEqual(1)
        if (cost.requests === 0) expect(cost.uploads).toBe(0)
        // a block requested on its own would be an upload that was not pushed: a round trip more
        expect(cost.uploads).toBe(cost.pushed)
        fetched += cost.uploads
      }
      expect(fetched).toBeGreaterThan(40)
      expect(reader.extensionStats.waitTimeouts).toBe(0)
    })
  })

  it('colliding keys: the siblings the walk compares come with the answer too', async () => {
    // key i hashes as key i % 150 (8 bytes, one component compared whole), so two or three
    // keys share each path and lookups end among colliding siblings (hypertrie@5 gets them right)
    const hash = (key: string): Uint8Array => {
      const out = Buffer.alloc(8)
      out.writeUInt32BE(((Number(key.slice(3)) % 150) * 2654435761) >>> 0)
      return out
    }
    const keys = Array.from({ length: 400 }, (_, i) => `key${i}`)
    await withReplica(keys, { hash }, async (get, reader) => {
      for (const i of spread(20, keys.length)) {
        const cost = await get(keys[i])
        expect(cost.requests).toBeLessThanOrEqual(1)
        expect(cost.uploads).toBe(cost.pushed)
      }
      expect(reader.extensionStats.waitTimeouts).toBe(0)
    })
  })
})

describe('lookups that cannot ask peers', () => {
  it('a second trie on a feed reads without waiting for answers (the first owns the extension)', async () => {
    const writer = new Hypertrie(ramStorage, null)
    await writer.ready()
    await writer.batch(
      Array.from({ length: 200 }, (_, i) => ({
        type: 'put' as const,
        key: `k/${i}`,
        value: Buffer.from(`v${i}`),
      })),
    )
    const first = new Hypertrie(ramStorage, writer.key, { sparse: true })
    await first.ready()
    const second = new Hypertrie(null, { feed: first.feed })
    await second.ready()
    const stop = connect(
      writer.replicate(true, { live: true }),
      first.replicate(false, { live: true }),
    )
    try {
      await first.feed.update?.({ ifAvailable: false })
      expect((await second.get('k/123'))?.valueBuffer?.toString()).toBe('v123')
      expect(second.extensionStats.sentGets).toBe(0)
      expect(second.extensionStats.waitTimeouts).toBe(0)
    } finally {
      stop()
      await second.close()
      await first.close().catch(() => {})
      await writer.close()
    }
  })
})
