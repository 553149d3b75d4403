// The DHT node: @hyperswarm/dht@4's commands (peers, immutable-store, mutable-store) on dht-rpc@4
// (routing table upkeep, request serving, _ping/_find_node/_holepunch, bootstrap, ephemeral and
// adaptive modes). Options default once, in DHT_DEFAULTS.

import type dgram from 'node:dgram'
import { EventEmitter } from 'node:events'
import type { NodeAddress, PeerAddress } from './addr.js'
import { decodeAddr, encodeAddr, encodeNodes, isIPv4, parsePeer } from './addr.js'
import type { CommandHost, QueryRequest, RunningQuery, StoredValue } from './command-host.js'
import { sodium } from './commonjs.js'
import { DestroyedError, InvalidArgumentError, RemoteError } from './errors.js'
import { ImmutableStore } from './immutable.js'
import type { Message } from './messages/message.js'
import { encodePeersInput } from './messages/values.js'
import { MutableStore } from './mutable.js'
import type { PeersReply } from './peers.js'
import { mapPeersReply } from './peers.js'
import { QueryStream } from './query-stream.js'
import { Query } from './query.js'
import type { QueryResult } from './query.js'
import { RecordCache } from './record-cache.js'
import type { Contact } from './routing-table.js'
import { RoutingTable } from './routing-table.js'
import { Rpc } from './rpc.js'
import type { RequestPeer } from './rpc.js'
import { type ServeContext, serveRequest } from './serve.js'
import { type DHTStats, createStats } from './stats.js'
import { ValueStore } from './value-store.js'

export type BootstrapEntry = string | number | PeerAddress

export interface DHTOptions {
  /** Nodes to join through. No public default: absent, null or [] means none. */
  bootstrap?: BootstrapEntry[] | null
  /** Never send our id, so nobody adds us to their routing table (default false). */
  ephemeral?: boolean
  /** Ephemeral at first; become persistent after 20-30 min if holepunchable (needs ephemeral). */
  adaptive?: boolean
  /** 32-byte node id (default random). */
  id?: Uint8Array
  /** Address the UDP socket binds to (default '0.0.0.0'; tests use '127.0.0.1'). */
  host?: string
  /** Share an existing UDP socket (e.g. with uTP); not closed by destroy(). */
  socket?: dgram.Socket
  /** Peer record lifetime parameter (default 12 min: records live 8-16 min). */
  maxAge?: number
  /** Immutable + mutable records kept (default 5000 per generation). */
  maxValues?: number
  /** Records kept per topic (default 4096; the original has no per-topic bound). */
  maxRecordsPerTopic?: number
  /** Nodes an announce or put converges on and stores at (default 20, as the original). */
  k?: number
  /** Nodes a lookup or get converges on (default 8: fewer messages than the original's 20). */
  lookupWidth?: number
  /** Requests one query keeps in flight (default 16). */
  concurrency?: number
  /** Retry tick in ms (default 750: 3 sends, failure after about 7.5 s). */
  tickInterval?: number
  /** Datagrams above this many bytes are dropped unread (default 4096). */
  maxPacketSize?: number
  /** Requests queued locally before new ones fail with ERR_QUEUE_FULL (default 4096). */
  maxPending?: number
  /** Requests per second served per remote address (default 400). */
  maxRequestsPerSecond?: number
}

export const DHT_DEFAULTS = {
  host: '0.0.0.0',
  maxAge: 12 * 60 * 1000,
  maxValues: 5000,
  maxRecordsPerTopic: 4096,
  k: 20,
  lookupWidth: 8,
  concurrency: 16,
}

export interface AnnounceOptions {
  /** The port to announce; 0 or absent means the UDP source port of our DHT socket. */
  port?: number
  /** Our LAN address, so peers behind the same NAT find us as localPeers. */
  localAddress?: PeerAddress | null
}

export interface HolepunchPeer extends PeerAddress {
  /** The DHT node that reported the peer; it relays the holepunch. */
  referrer: PeerAddress | null
}

const TICK_MS = 5000
const EPH_AFTER = 20 * 60 * 1000
const CLOSER_NODES = 20

export class DHT extends EventEmitter implements CommandHost {
  readonly id: Buffer
  ephemeral: boolean
  readonly bootstrapNodes: PeerAddress[]
  readonly stats: DHTStats
  readonly store: ValueStore<StoredValue>
  readonly immutable: ImmutableStore
  readonly mutable: MutableStore
  bootstrapped = false
  destroyed = false

  readonly rpc: Rpc
  private readonly table: RoutingTable
  private readonly records: RecordCache
  private readonly opts: typeof DHT_DEFAULTS
  private readonly queries = new Set<Query>()
  private readonly replacing = new Set<string>()
  private tick = 0
  private readonly tickTimer: NodeJS.Timeout
  private adaptiveTimer: NodeJS.Timeout | null = null
  private initialNodes = false
  private listening: Promise<void> | null = null
  private readying: Promise<void> | null = null
  private closing: Promise<void> | null = null
  private readonly serving: ServeContext

  constructor(opts: DHTOptions = {}) {
    super()
    this.opts = {
      host: opts.host ?? DHT_DEFAULTS.host,
      maxAge: opts.maxAge ?? DHT_DEFAULTS.maxAge,
      maxValues: opts.maxValues ?? DHT_DEFAULTS.maxValues,
      maxRecordsPerTopic: opts.maxRecordsPerTopic ?? DHT_DEFAULTS.maxRecordsPerTopic,
      k: opts.k ?? DHT_DEFAULTS.k,
      lookupWidth: opts.lookupWidth ?? DHT_DEFAULTS.lookupWidth,
      concurrency: opts.concurrency ?? DHT_DEFAULTS.concurrency,
    }
    if (opts.id && opts.id.length !== 32) throw new InvalidArgumentError('id must be 32 bytes')
    if (opts.adaptive && opts.ephemeral !== true) {
      throw new InvalidArgumentError('adaptive mode can only applied when ephemeral: true')
    }
    this.id = opts.id ? Buffer.from(opts.id) : randomId()
    this.ephemeral = !!opts.ephemeral
    this.bootstrapNodes = (opts.bootstrap ?? []).map(parsePeer)
    this.stats = createStats()
    this.table = new RoutingTable(this.id, this.opts.k)
    this.records = new RecordCache({
      maxAge: this.opts.maxAge,
      maxPerTopic: this.opts.maxRecordsPerTopic,
    })
    this.store = new ValueStore<StoredValue>(this.opts.maxValues)
    this.immutable = new ImmutableStore(this)
    this.mutable = new MutableStore(this)
    this.rpc = new Rpc(
      {
        onRequest: (type, m, from) => this.onRequest(type, m, from),
        onResponse: (m, from) => {
          if (m.id && m.id.length === 32) this.addNode(m.id, from, m.roundtripToken, m.to)
        },
        onBadId: (peer) => {
          if (peer.id) this.removeNode(peer.id)
        },
      },
      this.ephemeral ? null : this.id,
      this.stats,
      {
        socket: opts.socket,
        tickInterval: opts.tickInterval,
        maxPacketSize: opts.maxPacketSize,
        maxPending: opts.maxPending,
        maxRequestsPerSecond: opts.maxRequestsPerSecond,
      },
    )
    this.serving = {
      id: this.id,
      store: this.store,
      startQuery: (spec) => this.startQuery(spec),
      rpc: this.rpc,
      records: this.records,
      stats: this.stats,
      closerNodes: (target) => encodeNodes(this.table.closest(target, CLOSER_NODES)),
      emit: (event, ...args) => this.emit(event, ...args),
    }
    this.rpc.socket.on('error', (err: Error) => this.emit('warning', err))
    this.tickTimer = setInterval(() => this.onTick(), TICK_MS)
    this.tickTimer.unref()
    if (opts.adaptive) this.once('ready', () => this.armAdaptive())
    // as the original, the node starts bootstrapping on its own in the next tick
    process.nextTick(() => {
      if (!this.destroyed) this.ready().catch(noop)
    })
  }

  /** Binds the UDP socket (port 0 = any) on `host` (default the `host` option). */
  listen(port = 0, host = this.opts.host): Promise<void> {
    if (this.destroyed) return Promise.reject(new DestroyedError('DHT is destroyed'))
    if (this.listening) return this.listening
    const socket = this.rpc.socket
    this.listening = new Promise<void>((resolve, reject) => {
      if (isBound(socket)) {
        resolve()
        return
      }
      const onError = (err: Error) => {
        socket.removeListener('listening', onListening)
        this.listening = null
        reject(err)
      }
      const onListening = () => {
        socket.removeListener('error', onError)
        this.emit('listening')
        resolve()
      }
      socket.once('error', onError)
      socket.once('listening', onListening)
      socket.bind(port, host)
    })
    return this.listening
  }

  /** The UDP socket (ours, or the shared one passed as `opts.socket`). */
  get socket(): dgram.Socket {
    return this.rpc.socket
  }

  /** The bound UDP address. */
  address(): { host: string; port: number; family: string } {
    const a = this.rpc.socket.address()
    return { host: a.address, port: a.port, family: a.family }
  }

  /** Binds (if needed) and bootstraps once; resolves even when no bootstrap node answered. */
  ready(): Promise<void> {
    if (!this.readying) {
      this.readying = (async () => {
        await this.listen()
        await this.bootstrap()
        this.bootstrapped = true
        this.emit('ready')
      })()
    }
    return this.readying
  }

  /** One `_find_node` walk towards our own id (fills the routing table). */
  async bootstrap(): Promise<void> {
    if (this.bootstrapNodes.length === 0 && this.table.size === 0) return
    try {
      await this.runQuery({
        command: '_find_node',
        target: this.id,
        value: null,
        query: true,
        update: false,
        k: this.opts.k,
      })
    } catch (err) {
      if (!this.destroyed) this.emit('warning', err)
    }
  }

  /** Announces us under `topic` (query walk, then UPDATE to the k closest); yields the peers seen. */
  announce(topic: Uint8Array, opts: AnnounceOptions = {}): QueryStream<PeersReply> {
    return this.peersQuery(topic, opts, false, true, this.opts.k)
  }

  /** Finds announcers of `topic`: an async iterable of replies `{node, to, peers, localPeers}`. */
  lookup(topic: Uint8Array, opts: AnnounceOptions = {}): QueryStream<PeersReply> {
    return this.peersQuery(topic, opts, false, false, this.opts.lookupWidth)
  }

  /** Removes our record from the nodes closest to `topic`. */
  async unannounce(topic: Uint8Array, opts: AnnounceOptions = {}): Promise<void> {
    const stream = this.peersQuery(topic, opts, true, true, this.opts.k)
    await stream.finished()
  }

  /**
   * Opens the NATs between us and `peer` through `peer.referrer` (the node that reported it):
   * a probe to the peer plus a relay request to the referrer; resolves when the peer answers.
   */
  async holepunch(peer: HolepunchPeer): Promise<void> {
    if (!peer || !peer.referrer) throw new InvalidArgumentError('peer.referrer is required')
    if (!isIPv4(peer.host) || !isIPv4(peer.referrer.host)) {
      throw new InvalidArgumentError('holepunch needs IPv4 addresses')
    }
    await this.listen()
    const reply = await this.rpc.query(
      '_holepunch',
      null,
      null,
      {
        host: peer.host,
        port: peer.port,
        referrer: { host: peer.referrer.host, port: peer.referrer.port },
      },
      true,
    )
    if (reply.message.error) throw new RemoteError(reply.message.error)
  }

  /** Pings a node; resolves with our address as it sees us. */
  async ping(peer: PeerAddress & { id?: Buffer | null }): Promise<PeerAddress> {
    await this.listen()
    const reply = await this.rpc.query('_ping', null, peer.id ?? null, { ...peer })
    if (reply.message.error) throw new RemoteError(reply.message.error)
    const pong = decodeAddr(reply.message.to ?? reply.message.value)
    if (!pong) throw new RemoteError('Invalid pong')
    return pong
  }

  /** Our public address when at least 3 of the 10 latest contacts agree (else null). */
  remoteAddress(): PeerAddress | null {
    const both = this.table.tallyTo(false) ?? this.table.tallyTo(true)
    return both ? decodeAddr(both) : null
  }

  /** True when recent contacts agree on our exact public address and port. */
  holepunchable(): boolean {
    return this.table.tallyTo(false) !== null
  }

  /** Starts sending our id (and re-bootstraps), as dht-rpc's persistent(). */
  async persistent(): Promise<void> {
    this.rpc.id = this.id
    await this.bootstrap()
    this.ephemeral = false
    this.emit('persistent')
  }

  /** The routing table's contacts. */
  getNodes(): NodeAddress[] {
    return this.table.all().map(({ id, host, port }) => ({ id, host, port }))
  }

  addNodes(nodes: NodeAddress[]): void {
    for (const n of nodes) this.addNode(n.id, n, null, null)
  }

  /** Closes the socket, cancels every request and query, drops all records. */
  destroy(): Promise<void> {
    if (this.closing) return this.closing
    this.destroyed = true
    clearInterval(this.tickTimer)
    if (this.adaptiveTimer) clearTimeout(this.adaptiveTimer)
    for (const q of this.queries) q.destroy()
    const socket = this.rpc.socket
    this.closing = new Promise<void>((resolve) => {
      const owned = this.rpc.ownsSocket
      if (owned && isBound(socket)) socket.once('close', () => resolve())
      else setImmediate(resolve)
      this.rpc.destroy()
    }).then(() => {
      this.records.destroy()
      this.store.clear()
      this.emit('close')
    })
    return this.closing
  }

  // ---- CommandHost --------------------------------------------------------------------------

  async startQuery(spec: QueryRequest): Promise<RunningQuery> {
    if (this.destroyed) throw new DestroyedError('DHT is destroyed')
    await this.listen()
    if (this.destroyed) throw new DestroyedError('DHT is destroyed')
    const query = new Query(this.queryHost(), {
      ...spec,
      k: spec.k ?? this.opts.lookupWidth,
      concurrency: this.opts.concurrency,
    })
    this.queries.add(query)
    this.stats.queries++
    const done = query.run().finally(() => this.queries.delete(query))
    done.catch(noop)
    return { query, done }
  }

  private async runQuery(spec: QueryRequest): Promise<QueryResult> {
    const { done } = await this.startQuery(spec)
    return done
  }

  private queryHost() {
    return {
      rpc: this.rpc,
      id: this.id,
      bootstrapNodes: this.bootstrapNodes,
      closestContacts: (target: Buffer, n: number) => this.table.closest(target, n),
      onNodeFailed: (id: Buffer) => this.removeNode(id),
    }
  }

  private peersQuery(
    topic: Uint8Array,
    opts: AnnounceOptions,
    unannounce: boolean,
    update: boolean,
    k: number,
  ): QueryStream<PeersReply> {
    if (!(topic instanceof Uint8Array) || topic.length !== 32) {
      throw new InvalidArgumentError('topic must be a 32-byte buffer')
    }
    if (
      opts.port !== undefined &&
      !(Number.isInteger(opts.port) && opts.port >= 0 && opts.port < 65536)
    ) {
      throw new InvalidArgumentError(`port must be 0..65535, got ${opts.port}`)
    }
    const localAddress = opts.localAddress ? encodeAddr(opts.localAddress) : null
    const value = encodePeersInput({
      port: opts.port,
      localAddress,
      unannounce: unannounce ? true : undefined,
    })
    const target = Buffer.from(topic)
    return new QueryStream<PeersReply>((push) =>
      this.startQuery({
        command: 'peers',
        target,
        value,
        query: !unannounce,
        update,
        k,
        onReply: (reply) => {
          const mapped = mapPeersReply(localAddress, reply)
          if (mapped) push(mapped)
        },
      }),
    )
  }

  private onRequest(type: 'query' | 'update', m: Message, from: PeerAddress): void {
    if (m.id && m.id.length === 32) this.addNode(m.id, from, null, m.to)
    serveRequest(this.serving, type, m, from)
  }

  // ---- routing table upkeep -----------------------------------------------------------------

  private addNode(id: Buffer, from: PeerAddress, token: Buffer | null, to: Buffer | null): void {
    if (id.equals(this.id) || this.destroyed) return
    // one id per address: a node that restarted (or a sender cycling ids) replaces its old entry,
    // so nobody fills our table (and our closerNodes) from a single address
    const holder = this.table.atAddress(from.host, from.port)
    if (holder && !holder.id.equals(id)) this.removeNode(holder.id)
    const existing = this.table.get(id)
    const contact: Contact = existing ?? {
      id: Buffer.from(id),
      host: from.host,
      port: from.port,
      roundtripToken: null,
      to: null,
      tick: this.tick,
    }
    contact.host = from.host
    contact.port = from.port
    contact.tick = this.tick
    if (token) contact.roundtripToken = token
    if (to) contact.to = to
    const res = this.table.add(contact)
    if (res === 'full') {
      this.onBucketFull(contact)
      return
    }
    if (res === 'added') {
      this.emit('add-node', contact)
      if (!this.initialNodes && this.table.size >= 5) {
        this.initialNodes = true
        this.emit('initial-nodes')
      }
    }
  }

  private removeNode(id: Buffer): void {
    const removed = this.table.remove(id)
    if (removed) this.emit('remove-node', removed)
  }

  /** A full bucket: ping its least-recently-seen contacts; the first that fails makes room. */
  private onBucketFull(newcomer: Contact): void {
    if (!this.bootstrapped) return
    const olds = this.table.bucketOf(newcomer.id, 3)
    const key = olds.length ? olds[0].id.toString('hex') : ''
    if (this.replacing.has(key)) return
    const stale = olds.filter((c) => c.tick !== this.tick)
    if (stale.length === 0) return
    this.replacing.add(key)
    const next = async (): Promise<void> => {
      for (const old of stale) {
        if (this.destroyed) return
        try {
          await this.rpc.query('_ping', null, old.id, old, true)
        } catch {
          this.removeNode(old.id)
          this.addNode(newcomer.id, newcomer, newcomer.roundtripToken, newcomer.to)
          return
        }
      }
    }
    next().finally(() => this.replacing.delete(key))
  }

  private onTick(): void {
    this.tick++
    if ((this.tick & 7) === 0) this.pingSome()
    if ((this.tick & 63) === 0 && this.table.size < 20) this.bootstrap().catch(noop)
  }

  private pingSome(): void {
    if (this.table.size === 0) {
      if (this.bootstrapNodes.length) this.bootstrap().catch(noop)
      return
    }
    const n = this.queries.size > 2 ? 3 : 5
    for (const c of this.table.oldest(n)) {
      if (c.tick === this.tick) continue
      this.rpc.query('_ping', null, c.id, c as RequestPeer).catch(() => this.removeNode(c.id))
    }
  }

  private armAdaptive(): void {
    if (this.destroyed) return
    const delay = Math.round(EPH_AFTER + (Math.random() * EPH_AFTER) / 2)
    const due = Date.now() + delay
    this.adaptiveTimer = setTimeout(() => {
      if (this.destroyed) return
      // fired more than a minute late (the machine slept): start the wait over
      if (Date.now() - due > 60_000) return this.armAdaptive()
      if (!this.holepunchable()) return this.armAdaptive()
      this.persistent().catch((err: Error) => this.emit('warning', err))
    }, delay)
    this.adaptiveTimer.unref()
  }
}

function isBound(socket: dgram.Socket): boolean {
  try {
    socket.address()
    return true
  } catch {
    return false
  }
}

function randomId(): Buffer {
  const b = Buffer.allocUnsafe(32)
  sodium.randombytes_buf(b)
  return b
}

function noop(): void {}
