// An in-memory stand-in for the DHT: one shared record table, replies from one fake node.
import type {
  DiscoveryAnnounceOptions,
  DiscoveryDHT,
  DiscoveryReply,
  HolepunchTarget,
} from '../src/discovery-dht.js'
import type { PeerAddress } from '../src/peer.js'

export class FakeNetwork {
  readonly records = new Map<string, Map<string, PeerAddress>>()
  lookups = 0
  announces = 0
  unannounces = 0

  dht(): FakeDHT {
    return new FakeDHT(this)
  }

  /** Adds a record by hand (e.g. a peer that refuses connections). */
  add(topic: Buffer, peer: PeerAddress): void {
    const hex = topic.toString('hex')
    let table = this.records.get(hex)
    if (table === undefined) this.records.set(hex, (table = new Map()))
    table.set(`${peer.host}:${peer.port}`, peer)
  }

  remove(topic: Buffer, peer: PeerAddress): void {
    this.records.get(topic.toString('hex'))?.delete(`${peer.host}:${peer.port}`)
  }
}

export class FakeDHT implements DiscoveryDHT {
  destroyed = false
  holepunches: HolepunchTarget[] = []
  private readonly mine = new Set<string>()

  constructor(private readonly net: FakeNetwork) {}

  async ready(): Promise<void> {}

  async *announce(
    topic: Buffer,
    opts: DiscoveryAnnounceOptions = {},
  ): AsyncIterable<DiscoveryReply> {
    this.net.announces++
    const peer = { host: '127.0.0.1', port: opts.port ?? 0 }
    this.mine.add(`${peer.host}:${peer.port}`)
    yield* this.lookup(topic)
    this.net.add(topic, peer)
  }

  async unannounce(topic: Buffer, opts: DiscoveryAnnounceOptions = {}): Promise<void> {
    this.net.unannounces++
    this.net.remove(topic, { host: '127.0.0.1', port: opts.port ?? 0 })
  }

  async *lookup(topic: Buffer): AsyncIterable<DiscoveryReply> {
    this.net.lookups++
    await Promise.resolve()
    const table = this.net.records.get(topic.toString('hex'))
    // Like the real DHT, the asker's own record is left out.
    const peers = [...(table?.values() ?? [])].filter((p) => !this.mine.has(`${p.host}:${p.port}`))
    yield { node: { id: null, host: '127.0.0.1', port: 1 }, to: null, peers, localPeers: null }
  }

  async holepunch(peer: HolepunchTarget): Promise<void> {
    this.holepunches.push(peer)
  }

  async destroy(): Promise<void> {
    this.destroyed = true
  }
}
