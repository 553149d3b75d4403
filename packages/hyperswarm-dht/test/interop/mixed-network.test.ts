// A 21-node loopback network, half ours and half @hyperswarm/dht@4: every node of either kind
// finds every announcer of either kind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PeersReply } from '../../src/index.js'
import { randomTopic } from '../helpers/network.js'
import { type MixedNetwork, type OriginalPeersResult, call, mixedNetwork } from './originals.js'

let net: MixedNetwork
beforeAll(async () => {
  net = await mixedNetwork('theirs', 10)
}, 60_000)
afterAll(async () => {
  await net.destroy()
})

const key = (p: { host: string; port: number }) => `${p.host}:${p.port}`

describe('mixed network of 10 + 10 nodes', () => {
  it('every node finds every announcer', async () => {
    const topic = randomTopic()
    const announcers: string[] = []
    for (let i = 0; i < 2; i++) {
      await net.ours[i].announce(topic, { port: 30000 + i }).finished()
      announcers.push(`127.0.0.1:${30000 + i}`)
      await call((cb) => net.theirs[i + 1].announce(topic, { port: 31000 + i }, cb))
      announcers.push(`127.0.0.1:${31000 + i}`)
    }
    const ourFinds = await Promise.all(
      net.ours.map(async (node) => {
        const seen = new Set<string>()
        for await (const r of node.lookup(topic) as AsyncIterable<PeersReply>)
          for (const p of r.peers) seen.add(key(p))
        return seen
      }),
    )
    const theirFinds = await Promise.all(
      net.theirs.map(async (node) => {
        const results = await call<OriginalPeersResult[]>((cb) => node.lookup(topic, {}, cb))
        return new Set(results.flatMap((r) => (r.peers ?? []).map(key)))
      }),
    )
    for (const [i, seen] of [...ourFinds, ...theirFinds].entries()) {
      // a node never hears about its own record, so it may miss exactly its own announcement
      const own = i < 2 ? `127.0.0.1:${30000 + i}` : null
      for (const a of announcers)
        if (a !== own) expect(seen.has(a), `node ${i} misses ${a}`).toBe(true)
    }
  }, 60_000)
})
