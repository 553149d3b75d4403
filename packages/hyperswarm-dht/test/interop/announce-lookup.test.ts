// Announce on one implementation, look up on the other, on one loopback network.
import { afterEach, describe, expect, it } from 'vitest'
import { DHT, type PeersReply } from '../../src/index.js'
import { randomTopic } from '../helpers/network.js'
import {
  type MixedNetwork,
  type OriginalPeersResult,
  call,
  mixedNetwork,
  startOriginal,
  stopOriginal,
} from './originals.js'

let net: MixedNetwork | null = null
afterEach(async () => {
  await net?.destroy()
  net = null
})

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

const addrs = (list: { host: string; port: number }[] | null) =>
  (list ?? []).map((p) => `${p.host}:${p.port}`)

describe.each(['ours', 'theirs'] as const)('bootstrap node: %s', (kind) => {
  it('ours announces, theirs looks up (with localAddress)', async () => {
    net = await mixedNetwork(kind, 2)
    const mine = net.ours[net.ours.length - 1]
    const theirs = net.theirs[net.theirs.length - 1]
    const topic = randomTopic()
    await mine
      .announce(topic, { port: 40000, localAddress: { host: '10.7.0.3', port: 40001 } })
      .finished()
    const results = await call<OriginalPeersResult[]>((cb) =>
      theirs.lookup(topic, { localAddress: { host: '10.7.9.9', port: 5 } }, cb),
    )
    const peers = new Set(results.flatMap((r) => addrs(r.peers)))
    expect([...peers]).toEqual(['127.0.0.1:40000'])
    const locals = new Set(results.flatMap((r) => addrs(r.localPeers)))
    expect([...locals]).toEqual(['10.7.0.3:40001'])

    await mine.unannounce(topic, { port: 40000, localAddress: { host: '10.7.0.3', port: 40001 } })
    const after = await call<OriginalPeersResult[]>((cb) => theirs.lookup(topic, {}, cb))
    expect(after.flatMap((r) => addrs(r.peers))).toEqual([])
  })

  it('theirs announces, ours looks up', async () => {
    net = await mixedNetwork(kind, 2)
    const mine = net.ours[net.ours.length - 1]
    const theirs = net.theirs[net.theirs.length - 1]
    const topic = randomTopic()
    await call((cb) => theirs.announce(topic, { port: 41000 }, cb))
    const replies: PeersReply[] = await collect(mine.lookup(topic))
    expect([...new Set(replies.flatMap((r) => addrs(r.peers)))]).toEqual(['127.0.0.1:41000'])
    // a reply from an original node carries its id and our address as it saw us
    const fromOriginal = replies.find(
      (r) => r.node.id?.equals(theirs.id) || r.node.port !== mine.address().port,
    )
    expect(fromOriginal?.to).toEqual({ host: '127.0.0.1', port: mine.address().port })

    await call((cb) => theirs.unannounce(topic, { port: 41000 }, cb))
    const after = await collect(mine.lookup(topic))
    expect(after.flatMap((r) => addrs(r.peers))).toEqual([])
  })
})

describe('ephemeral nodes of either kind', () => {
  it('an ephemeral original finds what our ephemeral node announced', async () => {
    net = await mixedNetwork('ours', 2)
    const list = net.bootstrapList
    const mine = new DHT({ host: '127.0.0.1', bootstrap: list, ephemeral: true })
    const theirs = await startOriginal(list, { ephemeral: true })
    try {
      await mine.ready()
      const topic = randomTopic()
      await mine.announce(topic, { port: 42000 }).finished()
      const results = await call<OriginalPeersResult[]>((cb) => theirs.lookup(topic, {}, cb))
      expect([...new Set(results.flatMap((r) => addrs(r.peers)))]).toEqual(['127.0.0.1:42000'])
      // ephemeral replies carry no id; neither node entered anyone's routing table
      for (const n of net.ours) {
        const ids = n.getNodes().map((x) => x.id.toString('hex'))
        expect(ids).not.toContain(mine.id.toString('hex'))
        expect(ids).not.toContain(theirs.id.toString('hex'))
      }
    } finally {
      await mine.destroy()
      await stopOriginal(theirs)
    }
  })
})
