// hypertrie@5's createWriteStream: operations written to a stream go in batches.
import { describe, expect, it } from 'vitest'
import { Hypertrie } from '../src/index.js'
import { newCore } from './helpers/cores.js'

async function newWriter(): Promise<Hypertrie> {
  const trie = new Hypertrie(null, { feed: newCore() })
  await trie.ready()
  return trie
}

function finished(stream: NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('finish', () => resolve())
    stream.once('error', reject)
  })
}

describe('createWriteStream', () => {
  it('applies puts and deletes, single or in arrays, batching what queues up', async () => {
    const trie = await newWriter()
    let appends = 0
    const feed = trie.feed
    const before = feed.length
    feed.on?.('append', () => appends++)
    const ws = trie.createWriteStream()
    const done = finished(ws)
    for (let i = 0; i < 100; i++)
      ws.write({ type: 'put', key: `k${i}`, value: Buffer.from(`v${i}`) })
    ws.write([
      { type: 'del', key: 'k1' },
      { key: 'extra', value: Buffer.from('x') },
    ])
    ws.end(null)
    await done

    expect((await trie.get('k99'))?.value).toEqual(Buffer.from('v99'))
    expect(await trie.get('k1')).toBeNull()
    expect((await trie.get('extra'))?.value).toEqual(Buffer.from('x'))
    // 102 operations, far fewer appends: what queued while a batch ran went in the next one.
    expect(appends).toBeLessThan(10)
  })

  it('ends with ERR_INVALID_ARGUMENT on something that is not an operation', async () => {
    const trie = await newWriter()
    for (const bad of [42, { type: 'put' }, { type: 'rename', key: 'a' }]) {
      const ws = trie.createWriteStream()
      const done = finished(ws)
      ws.write(bad)
      ws.end(null)
      await expect(done).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' })
    }
    expect(await trie.list('')).toEqual([])
  })
})
