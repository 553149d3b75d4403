// Our DHT on loopback: announce/lookup/unannounce, records, holepunch, ping, bootstrap node.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DHT, type PeersReply, createBootstrapNode, keyPair } from '../src/index.js'
import { type Network, createNetwork, randomTopic } from './helpers/network.js'

let net: Network | null = null
afterEach(async () => {
  await net?.destroy()
  net = null
})

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

function peersOf(replies: PeersReply[]): string[] {
  return [...new Set(replies.flatMap((r) => r.peers.map((p) => `${p.host}:${p.port}`)))]
}

describe('DHT on loopback', () => {
  it('announces and looks up a topic, then unannounces', async () => {
    net = await createNetwork(4)
    const [a, , , c] = net.nodes
    const topic = randomTopic()
    await a
      .announce(topic, { port: 40000, localAddress: { host: '192.168.1.5', port: 40001 } })
      .finished()
    const replies = await collect(
      c.lookup(topic, { localAddress: { host: '192.168.9.9', port: 1 } }),
    )
    expect(peersOf(replies)).toEqual(['127.0.0.1:40000'])
    const locals = replies.flatMap((r) => r.localPeers.map((p) => `${p.host}:${p.port}`))
    expect(new Set(locals)).toEqual(new Set(['192.168.1.5:40001']))
    expect(replies[0].node.id).toHaveLength(32)
    expect(replies[0].to?.port).toBe(c.address().port)

    await a.unannounce(topic, { port: 40000 })
    const after = await collect(c.lookup(topic))
    expect(peersOf(after)).toEqual([])
  })

  it('records the UDP source port when announcing without a port', async () => {
    net = await createNetwork(3)
    const [a, b] = net.nodes
    const topic = randomTopic()
    await a.announce(topic).finished()
    expect(peersOf(await collect(b.lookup(topic)))).toEqual([`127.0.0.1:${a.address().port}`])
    // the announcer does not find itself
    expect(peersOf(await collect(a.lookup(topic)))).toEqual([])
  })

  it('puts and gets immutable and mutable records across nodes', async () => {
    net = await createNetwork(4)
    const [a, b] = net.nodes
    const key = await a.immutable.put(Buffer.from('hello immutable'))
    const got = await b.immutable.get(key)
    expect(got?.value.toString()).toBe('hello immutable')
    expect(await b.immutable.get(Buffer.alloc(32))).toBeNull()

    const keypair = keyPair()
    await a.mutable.put(Buffer.from('v1'), { keypair, seq: 1 })
    const m = await b.mutable.get(keypair.publicKey)
    expect(m?.value.toString()).toBe('v1')
    expect(m?.seq).toBe(1)
    await expect(a.mutable.put(Buffer.from('v0'), { keypair, seq: 0 })).rejects.toMatchObject({
      code: 'ERR_SEQ_MUST_EXCEED_CURRENT',
    })
    await expect(a.mutable.put(Buffer.from('other'), { keypair, seq: 1 })).rejects.toMatchObject({
      code: 'ERR_INVALID_SEQ',
    })
    await a.mutable.put(Buffer.from('v2'), { keypair, seq: 2 })
    expect((await b.mutable.get(keypair.publicKey, { seq: 2 }))?.value.toString()).toBe('v2')
    expect(await b.mutable.get(keypair.publicKey, { seq: 3 })).toBeNull()

    const salt = a.mutable.salt('profile')
    await a.mutable.put(Buffer.from('salted'), { keypair, seq: 3, salt })
    expect((await b.mutable.get(keypair.publicKey, { salt }))?.value.toString()).toBe('salted')
    expect((await b.mutable.get(keypair.publicKey))?.value.toString()).toBe('v2')
  })

  it('holepunches through a referrer', async () => {
    net = await createNetwork(3)
    const [a, b] = net.nodes
    const relayed = new Promise((resolve) =>
      net?.bootstrap.once('holepunch', (from, to) => resolve([from, to])),
    )
    await a.holepunch({
      host: '127.0.0.1',
      port: b.address().port,
      referrer: { host: '127.0.0.1', port: net.bootstrap.address().port },
    })
    expect(await relayed).toEqual([
      { host: '127.0.0.1', port: a.address().port },
      { host: '127.0.0.1', port: b.address().port },
    ])
    await expect(a.holepunch({ host: '127.0.0.1', port: 1, referrer: null })).rejects.toMatchObject(
      {
        code: 'ERR_INVALID_ARGUMENT',
      },
    )
  })

  it('pings and reports our address; a lone node fails queries cleanly', async () => {
    const boot = await createBootstrapNode({ port: 0, host: '127.0.0.1' })
    const lone = new DHT({ host: '127.0.0.1' })
    try {
      await lone.ready()
      const pong = await lone.ping({ host: '127.0.0.1', port: boot.address().port })
      expect(pong).toEqual({ host: '127.0.0.1', port: lone.address().port })
      expect(lone.stats.sent.queries).toBe(1)
      expect(lone.stats.received.responses).toBe(1)
      // the pong added the bootstrap node: a lookup now asks it (and only it)
      const replies = await collect(lone.lookup(randomTopic()))
      expect(replies).toEqual([])
      expect(lone.stats.sent.queries).toBe(2)
      const alone = new DHT({ host: '127.0.0.1' })
      await alone.ready()
      await expect(alone.lookup(randomTopic()).finished()).rejects.toMatchObject({
        code: 'ERR_NO_NODES_RESPONDED',
      })
      await alone.destroy()
    } finally {
      await Promise.all([boot.destroy(), lone.destroy()])
    }
  })

  it('ephemeral nodes are not added to routing tables', async () => {
    net = await createNetwork(2, { ephemeral: true })
    expect(net.bootstrap.getNodes()).toHaveLength(0)
    expect(() => new DHT({ adaptive: true })).toThrowError(/ephemeral/)
  })
})

describe('ephemeral and persistent', () => {
  it('an ephemeral node joins routing tables once it turns persistent', async () => {
    net = await createNetwork(2)
    const eph = new DHT({ host: '127.0.0.1', bootstrap: net.bootstrapList, ephemeral: true })
    try {
      await eph.ready()
      const ids = () => net?.bootstrap.getNodes().map((n) => n.id.toString('hex'))
      expect(ids()).not.toContain(eph.id.toString('hex'))
      const became = new Promise<void>((resolve) => eph.once('persistent', () => resolve()))
      await eph.persistent()
      await became
      expect(eph.ephemeral).toBe(false)
      expect(ids()).toContain(eph.id.toString('hex'))
    } finally {
      await eph.destroy()
    }
  })

  it('tallies our public address from three agreeing contacts', async () => {
    net = await createNetwork(4)
    const node = net.nodes[0]
    await node.bootstrap()
    expect(node.remoteAddress()).toEqual({ host: '127.0.0.1', port: node.address().port })
    expect(node.holepunchable()).toBe(true)
    const lonely = new DHT({ host: '127.0.0.1' })
    await lonely.ready()
    expect(lonely.remoteAddress()).toBeNull()
    expect(lonely.holepunchable()).toBe(false)
    await lonely.destroy()
  })
})

describe('query streams', () => {
  it('an unconsumed failing announce does not throw; finished() reports the error', async () => {
    const lone = new DHT({ host: '127.0.0.1' })
    try {
      await lone.ready()
      const stream = lone.announce(randomTopic())
      const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()))
      await expect(stream.finished()).rejects.toMatchObject({ code: 'ERR_NO_NODES_RESPONDED' })
      await closed
      // an async iterator sees the error
      await expect(collect(lone.lookup(randomTopic()))).rejects.toMatchObject({
        code: 'ERR_NO_NODES_RESPONDED',
      })
    } finally {
      await lone.destroy()
    }
  })

  it('breaking out of a lookup stops the query', async () => {
    net = await createNetwork(6)
    const topic = randomTopic()
    await net.nodes[0].announce(topic, { port: 1234 }).finished()
    const stream = net.nodes[5].lookup(topic)
    for await (const reply of stream) {
      expect(reply.peers).toEqual([{ host: '127.0.0.1', port: 1234 }])
      break
    }
    const result = await stream.finished()
    expect(result.responses).toBeGreaterThanOrEqual(1)
    expect(result.requests).toBeGreaterThanOrEqual(result.responses)
    expect(stream.destroyed).toBe(true)
  })
})

describe('adaptive mode', () => {
  it('turns persistent 20-30 min after ready when holepunchable', async () => {
    net = await createNetwork(4)
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const node = new DHT({
      host: '127.0.0.1',
      bootstrap: net.bootstrapList,
      ephemeral: true,
      adaptive: true,
    })
    try {
      await node.ready()
      // seed the tally: three contacts that report the same address for us
      for (const n of net.nodes.slice(0, 3))
        await node.ping({ host: '127.0.0.1', port: n.address().port })
      await node.bootstrap()
      expect(node.holepunchable()).toBe(true)
      const became = new Promise<void>((resolve) => node.once('persistent', () => resolve()))
      vi.advanceTimersByTime(19 * 60 * 1000)
      expect(node.ephemeral).toBe(true)
      vi.advanceTimersByTime(11 * 60 * 1000)
      vi.useRealTimers()
      await became
      expect(node.ephemeral).toBe(false)
    } finally {
      vi.useRealTimers()
      await node.destroy()
    }
  })
})

describe('sockets and bootstrap defaults', () => {
  it('with no bootstrap list a node sends nothing at all', async () => {
    const node = new DHT({ host: '127.0.0.1' })
    await node.ready()
    await node
      .lookup(randomTopic())
      .finished()
      .catch(() => {})
    expect(node.stats.sent.bytes).toBe(0)
    await node.destroy()
  })

  it('shares a bound socket: stream packets pass by, the socket stays open', async () => {
    const dgram = await import('node:dgram')
    const socket = dgram.createSocket('udp4')
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
    net = await createNetwork(2)
    const node = new DHT({ socket, bootstrap: net.bootstrapList })
    await node.ready()
    expect(node.socket).toBe(socket)
    expect(node.address().port).toBe(socket.address().port)
    expect(net.bootstrap.getNodes().map((n) => n.port)).toContain(socket.address().port)
    // a uTP-style packet (>= 20 bytes, low nibble 1) is not ours: not even counted as malformed
    const sender = dgram.createSocket('udp4')
    const got = new Promise<void>((resolve) => socket.once('message', () => resolve()))
    sender.send(Buffer.alloc(20, 0x51), socket.address().port, '127.0.0.1')
    await got
    expect(node.stats.malformed).toBe(0)
    await node.destroy()
    // still usable by its owner
    expect(socket.address().port).toBeGreaterThan(0)
    await new Promise<void>((resolve) => sender.close(() => resolve()))
    await new Promise<void>((resolve) => socket.close(() => resolve()))
  })
})

describe('routing table upkeep', () => {
  it('a full bucket pings its least-recently-seen contact and replaces it when it is dead', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    const made: DHT[] = []
    const make = async (first: number | null, k?: number) => {
      const id = Buffer.alloc(32, first === null ? 0 : 1)
      if (first !== null) id[0] = first
      const d = new DHT({ host: '127.0.0.1', id, k })
      made.push(d)
      await d.ready()
      return d
    }
    try {
      const n = await make(null, 2) // id 00..: 0x80.. ids all fall in bucket 0
      const [p1, p2, p3] = [await make(0x80), await make(0x81), await make(0x82)]
      const at = (d: DHT) => ({ host: '127.0.0.1', port: d.address().port })
      await p1.ping(at(n))
      await p2.ping(at(n))
      expect(n.getNodes().map((c) => c.id[0])).toEqual([0x80, 0x81])
      await p1.destroy()
      await vi.advanceTimersByTimeAsync(5000) // next node tick: p1 and p2 are no longer "just seen"
      const removed = new Promise<number>((resolve) =>
        n.once('remove-node', (c: { id: Buffer }) => resolve(c.id[0])),
      )
      await p3.ping(at(n)) // bucket full: n pings p1, which never answers
      await vi.advanceTimersByTimeAsync(10 * 750)
      expect(await removed).toBe(0x80)
      expect(
        n
          .getNodes()
          .map((c) => c.id[0])
          .sort(),
      ).toEqual([0x81, 0x82])
    } finally {
      vi.useRealTimers()
      await Promise.all(made.map((d) => d.destroy()))
    }
  })
})
