// A 50-node loopback network of ours: every lookup finds every announcer, and after a third of
// the nodes are killed, lookups still do. A short retry tick keeps dead-node timeouts brief.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DHT, PeersReply } from '../src/index.js'
import { type Network, createNetwork, randomTopic } from './helpers/network.js'

const SIZE = 50
let net: Network
beforeAll(async () => {
  net = await createNetwork(SIZE, { tickInterval: 100 })
}, 60_000)
afterAll(async () => {
  await net.destroy()
})

async function found(node: DHT, topic: Buffer): Promise<Set<string>> {
  const out = new Set<string>()
  for await (const r of node.lookup(topic) as AsyncIterable<PeersReply>) {
    for (const p of r.peers) out.add(`${p.host}:${p.port}`)
  }
  return out
}

describe('50-node network', () => {
  const topics = [randomTopic(), randomTopic(), randomTopic()]
  const announcers = new Map<string, string[]>()

  it('every node finds every announcer of every topic', async () => {
    for (const [t, topic] of topics.entries()) {
      const who = [net.nodes[t * 7], net.nodes[t * 7 + 3]]
      await Promise.all(
        who.map((n, i) => n.announce(topic, { port: 20000 + t * 10 + i }).finished()),
      )
      announcers.set(
        topic.toString('hex'),
        who.map((_, i) => `127.0.0.1:${20000 + t * 10 + i}`),
      )
    }
    const sentBefore = net.nodes.reduce((s, n) => s + n.stats.sent.queries, 0)
    const results = await Promise.all(
      net.nodes.flatMap((node) =>
        topics.map(async (topic) => ({ topic, peers: await found(node, topic) })),
      ),
    )
    const sent = net.nodes.reduce((s, n) => s + n.stats.sent.queries, 0) - sentBefore
    for (const { topic, peers } of results) {
      for (const a of announcers.get(topic.toString('hex')) ?? []) expect(peers.has(a)).toBe(true)
    }
    const perLookup = sent / results.length
    console.log(`messages sent per lookup (50 nodes): ${perLookup.toFixed(1)}`)
    expect(perLookup).toBeLessThan(20)
  }, 60_000)

  it('lookups keep working after a third of the nodes are killed', async () => {
    const announcerIndexes = new Set([0, 3, 7, 10, 14, 17])
    const victims = net.nodes
      .filter((_, i) => !announcerIndexes.has(i))
      .filter((_, i) => i % 2 === 1)
      .slice(0, Math.ceil(SIZE / 3))
    expect(victims).toHaveLength(17)
    await Promise.all(victims.map((v) => v.destroy()))
    const alive = net.nodes.filter((n) => !victims.includes(n))
    const results = await Promise.all(
      alive.flatMap((node) =>
        topics.map(async (topic) => ({ topic, peers: await found(node, topic) })),
      ),
    )
    for (const { topic, peers } of results) {
      for (const a of announcers.get(topic.toString('hex')) ?? []) expect(peers.has(a)).toBe(true)
    }
    // the dead were noticed and dropped from routing tables
    const removed = alive.reduce((s, n) => s + n.stats.timeouts, 0)
    expect(removed).toBeGreaterThan(0)
  }, 60_000)
})
