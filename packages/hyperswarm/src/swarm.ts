// The Hyperswarm class: joins topics on the DHT, dials the peers it finds, accepts their
// connections, and hands each connection out once, as hyperswarm@2's swarm.js.
import { EventEmitter } from 'node:events'
import net from 'node:net'
import { type Connected, connect } from './connector.js'
import { createDefaultDHT } from './dht-factory.js'
import type { DiscoveryDHT } from './discovery-dht.js'
import {
  ConnectFailedError,
  InvalidJoinOptionsError,
  InvalidTopicError,
  SwarmDestroyedError,
  SwarmError,
} from './errors.js'
import { localIPv4 } from './local-address.js'
import { MdnsDiscovery, type MdnsOptions } from './mdns.js'
import { PeerInfo } from './peer-info.js'
import { PeerQueue, type PeerQueueOptions } from './peer-queue.js'
import type { PeerAddress, SwarmPeer, SwarmSocket } from './peer.js'
import { SwarmTopic } from './topic.js'

/** A UDP stream transport the swarm can dial through after a holepunch, and accept from. */
export interface UdpTransport extends EventEmitter {
  connect(peer: PeerAddress): Promise<SwarmSocket>
  close(): Promise<void>
}

/** Creates the DHT the swarm owns and the UDP transport sharing its socket, after TCP binds. */
export type DHTFactory = (opts: {
  bootstrap: BootstrapEntry[]
  ephemeral: boolean
  port: number
  host: string
}) => Promise<{
  dht: DiscoveryDHT
  udp: UdpTransport | null
  /** The UDP port the DHT is bound to. */
  port: number
  /** Releases what the factory opened beyond the DHT (its shared socket). */
  close?: () => Promise<void>
}>

export type BootstrapEntry = string | number | PeerAddress

export interface HyperswarmOptions {
  /** DHT bootstrap nodes. No default: none given means no DHT traffic leaves this machine. */
  bootstrap?: BootstrapEntry[]
  /** Use this DHT instead of creating one (the swarm will not destroy it). */
  dht?: DiscoveryDHT
  /** How the swarm makes its own DHT (default: @hyperstack/hyperswarm-dht on the TCP port). */
  createDHT?: DHTFactory
  /** Run the DHT node without joining routing tables. Default true (as @hyperswarm/discovery). */
  ephemeral?: boolean
  /** Client + server connections at most. Default 24. */
  maxPeers?: number
  /** Incoming connections at most. Default Infinity. */
  maxServerSockets?: number
  /** Outgoing connections at most. Default Infinity. */
  maxClientSockets?: number
  /** Dials in flight at once. Default 8 (hyperswarm@2 dials one at a time). */
  maxParallelDials?: number
  /** Return false to never dial a discovered peer ('peer-rejected'). */
  validatePeer?: (peer: SwarmPeer) => boolean
  queue?: PeerQueueOptions
  /** Fixed port for TCP (and the DHT's UDP socket); no fallback. */
  port?: number
  /** Port tried first (then +1, +2, then any). */
  preferredPort?: number
  /** Port to announce instead of ours (0: the DHT records our UDP source port). */
  announcePort?: number
  /** Also announce our LAN address (first non-internal IPv4). Default false. */
  announceLocalAddress?: boolean
  /** Address to listen on. Default '0.0.0.0'. */
  host?: string
  /** ms before a dial gives up on every transport. Default 10000. */
  connectTimeout?: number
  /** Try a DHT holepunch + UDP stream alongside TCP for peers found on the DHT. Default true. */
  holepunch?: boolean
  /** Delay range in ms between announce/lookup rounds of a topic. Default [300000, 600000]. */
  refreshInterval?: readonly [number, number]
  /** ms to wait for unannounces on leave/destroy before giving up. Default 5000. */
  unannounceTimeout?: number
  /** LAN discovery over multicast DNS (true or options). Default false: nothing is multicast. */
  mdns?: boolean | MdnsOptions
}

export const HYPERSWARM_DEFAULTS = {
  ephemeral: true,
  maxPeers: 24,
  maxServerSockets: Number.POSITIVE_INFINITY,
  maxClientSockets: Number.POSITIVE_INFINITY,
  maxParallelDials: 8,
  host: '0.0.0.0',
  connectTimeout: 10_000,
  holepunch: true,
  refreshInterval: [300_000, 600_000] as const,
  unannounceTimeout: 5000,
} as const

export interface JoinOptions {
  /** List this peer under the topic. Default false. */
  announce?: boolean
  /** Look for peers and dial them. Default true. */
  lookup?: boolean
}

export interface TopicStatus {
  announce: boolean
  lookup: boolean
}

/** The swarm's events and their arguments. */
export interface HyperswarmEvents {
  connection: [socket: SwarmSocket, info: PeerInfo]
  disconnection: [socket: SwarmSocket, info: PeerInfo]
  peer: [peer: SwarmPeer]
  'peer-rejected': [peer: SwarmPeer]
  'peer-skipped': [peer: SwarmPeer | null]
  'connect-failed': [err: SwarmError, info: PeerInfo]
  'peer-unresponsive': [info: PeerInfo]
  updated: [event: { key: Buffer }]
  join: [key: Buffer, opts: TopicStatus]
  leave: [key: Buffer]
  listening: []
  /** Non-fatal trouble (e.g. multicast unavailable for mDNS). */
  warning: [err: Error]
  close: []
  error: [err: Error]
}

/** What `connectivity()` found. */
export interface Connectivity {
  bound: boolean
  bootstrapped: boolean
  holepunched: boolean
}

export class Hyperswarm extends EventEmitter<HyperswarmEvents> {
  destroyed = false
  /** Every open connection, client and server. */
  readonly connections = new Set<SwarmSocket>()
  clientSockets = 0
  serverSockets = 0
  /** Client + server connections (dials in flight count too). */
  peers = 0
  readonly maxPeers: number
  readonly maxServerSockets: number
  readonly maxClientSockets: number
  /** The DHT in use, once listening. */
  dht: DiscoveryDHT | null

  private readonly opts: HyperswarmOptions
  private readonly queue: PeerQueue
  private readonly validatePeer: (peer: SwarmPeer) => boolean
  private readonly topics = new Map<string, SwarmTopic>()
  private readonly statuses = new Map<string, TopicStatus>()
  private readonly server: net.Server
  private readonly ownsDHT: boolean
  private udp: UdpTransport | null = null
  private releaseDHT: (() => Promise<void>) | null = null
  private mdns: MdnsDiscovery | null = null
  private listening: Promise<void> | null = null
  private dhtPort = 0
  private dials = 0
  private attemptWaiters: Array<() => void> = []
  private closing: Promise<void> | null = null
  private readonly pendingJoins = new Set<Promise<void>>()

  constructor(opts: HyperswarmOptions = {}) {
    super()
    this.opts = opts
    this.maxPeers = opts.maxPeers ?? HYPERSWARM_DEFAULTS.maxPeers
    this.maxServerSockets = opts.maxServerSockets ?? HYPERSWARM_DEFAULTS.maxServerSockets
    this.maxClientSockets = opts.maxClientSockets ?? HYPERSWARM_DEFAULTS.maxClientSockets
    this.validatePeer = opts.validatePeer ?? (() => true)
    this.dht = opts.dht ?? null
    this.ownsDHT = opts.dht === undefined
    this.queue = new PeerQueue(opts.queue)
    this.queue.on('readable', () => this.drain())
    this.server = net.createServer((socket) => this.onIncoming(socket, true))
  }

  /** True while below maxPeers: dials go out and incoming connections are accepted. */
  get open(): boolean {
    return this.peers < this.maxPeers
  }

  /** TCP address we listen on (null before listen()). */
  address(): PeerAddress | null {
    const address = this.server.address()
    if (address === null || typeof address === 'string') return null
    return { host: address.address, port: address.port }
  }

  /** Binds TCP and the DHT (on the same port number); idempotent. join() calls it. */
  listen(port?: number): Promise<void> {
    if (this.destroyed) return Promise.reject(new SwarmDestroyedError())
    if (this.listening === null) {
      this.listening = this.bind(port ?? this.opts.port ?? 0)
      this.listening.catch(() => {})
    }
    return this.listening
  }

  status(topic: Uint8Array): TopicStatus | null {
    return this.statuses.get(Buffer.from(topic).toString('hex')) ?? null
  }

  /**
   * Joins `topic` (32 bytes). Resolves when the first announce/lookup round has been flushed.
   * Throws InvalidTopicError / InvalidJoinOptionsError / SwarmDestroyedError synchronously.
   */
  join(topic: Uint8Array, opts: JoinOptions = {}): Promise<void> {
    if (this.destroyed) throw new SwarmDestroyedError()
    const key = checkTopic(topic)
    const announce = opts.announce ?? false
    const lookup = opts.lookup ?? true
    if (!announce && !lookup) throw new InvalidJoinOptionsError()
    const hex = key.toString('hex')
    const status = { announce, lookup }
    this.statuses.set(hex, status)

    const joined = this.listen().then(async () => {
      if (this.destroyed || this.dht === null) throw new SwarmDestroyedError()
      // A later join or a leave of the same topic superseded this one.
      if (this.statuses.get(hex) !== status) return
      await this.leaveTopic(hex)
      if (this.destroyed || this.statuses.get(hex) !== status) return
      const t = new SwarmTopic(this.dht, key, {
        announce,
        lookup,
        port: this.announcePort(),
        localAddress: this.localAddress(),
        interval: this.opts.refreshInterval ?? HYPERSWARM_DEFAULTS.refreshInterval,
      })
      this.topics.set(hex, t)
      this.mdns?.join(key, { port: this.address()?.port ?? 0, announce, lookup })
      t.on('update', () => this.emit('updated', { key }))
      if (lookup) t.on('peer', (peer: SwarmPeer) => this.onPeer(peer))
      t.start()
      this.emit('join', key, { announce, lookup })
      await t.flush()
    })
    this.pendingJoins.add(joined)
    joined
      .catch((err: unknown) => {
        if (err instanceof SwarmDestroyedError) return
        this.emit(
          'error',
          err instanceof Error ? err : new SwarmError('ERR_JOIN_FAILED', String(err)),
        )
      })
      .finally(() => this.pendingJoins.delete(joined))
    return joined
  }

  /** Leaves `topic`: stops its lookups, unannounces it. Existing connections stay open. */
  async leave(topic: Uint8Array): Promise<void> {
    const key = checkTopic(topic)
    if (this.destroyed) return
    const hex = key.toString('hex')
    this.statuses.delete(hex)
    await this.leaveTopic(hex)
    this.emit('leave', key)
  }

  /**
   * Resolves when every joined topic's current DHT round has flushed and every queued peer has
   * been dialled (connected or failed). hyperswarm@2 waits only for priority >= 2 peers, which
   * on one host (every DHT peer at our own IP gets priority 1) means not waiting at all.
   */
  async flush(): Promise<void> {
    if (this.destroyed) throw new SwarmDestroyedError()
    await this.listen()
    await Promise.allSettled([...this.pendingJoins])
    await Promise.all([...this.topics.values()].map((t) => t.flush()))
    while (!this.destroyed && this.queue.length + this.dials > 0) {
      if (this.clientSockets >= this.maxClientSockets || !this.open) break
      await new Promise<void>((resolve) => this.attemptWaiters.push(resolve))
    }
    if (this.destroyed) throw new SwarmDestroyedError()
  }

  /** Our public address as the DHT sees it (null until nodes agree, or without a DHT). */
  remoteAddress(): PeerAddress | null {
    return this.dht?.remoteAddress?.() ?? null
  }

  /** True when the DHT reports a stable public address and port (holepunching can work). */
  holepunchable(): boolean {
    return this.dht?.holepunchable?.() ?? false
  }

  /**
   * Whether others can reach this swarm, as hyperswarm@2's connectivity: `bound` (listening),
   * `bootstrapped` (its DHT reached a node) and `holepunched` (DHT nodes agree on its public
   * address and port). A failed step leaves the ones after it false.
   */
  async connectivity(): Promise<Connectivity> {
    if (this.destroyed) throw new SwarmDestroyedError()
    const none: Connectivity = { bound: false, bootstrapped: false, holepunched: false }
    try {
      await this.listen()
    } catch {
      return none
    }
    const dht = this.dht
    if (!dht) return { ...none, bound: true }
    try {
      await dht.ready()
    } catch {
      return { ...none, bound: true }
    }
    const bootstrapped = (dht.getNodes?.().length ?? 0) > 0
    return { bound: true, bootstrapped, holepunched: bootstrapped && this.holepunchable() }
  }

  /** Dials `peer` directly (no queue, no retry). */
  async connect(peer: SwarmPeer): Promise<Connected> {
    if (this.destroyed) throw new SwarmDestroyedError()
    await this.listen()
    const dht = this.dht
    const udp = this.udp
    const punch = dht !== null && udp !== null && (this.opts.holepunch ?? true)
    return connect(peer, {
      timeout: this.opts.connectTimeout ?? HYPERSWARM_DEFAULTS.connectTimeout,
      holepunch: punch
        ? async (target) => {
            if (target.referrer) await dht.holepunch({ ...target, referrer: target.referrer })
          }
        : undefined,
      connectUdp: punch ? (address) => udp.connect(address) : undefined,
    })
  }

  /** Closes every connection, leaves every topic, closes the servers and our DHT. */
  destroy(): Promise<void> {
    if (this.closing === null) this.closing = this.close()
    return this.closing
  }

  private async close(): Promise<void> {
    this.destroyed = true
    this.queue.destroy()
    this.statuses.clear()
    this.wakeAttemptWaiters()
    const topics = [...this.topics.values()]
    this.topics.clear()
    await this.withTimeout(Promise.all(topics.map((t) => t.destroy())))
    await this.mdns?.destroy()
    for (const socket of this.connections) socket.destroy()
    this.connections.clear()
    await this.listening?.catch(() => {})
    if (this.server.listening)
      await new Promise<void>((resolve) => this.server.close(() => resolve()))
    await this.udp?.close().catch(() => {})
    if (this.ownsDHT && this.dht !== null) await Promise.resolve(this.dht.destroy()).catch(() => {})
    await this.releaseDHT?.().catch(() => {})
    this.emit('close')
  }

  private async bind(port: number): Promise<void> {
    const host = this.opts.host ?? HYPERSWARM_DEFAULTS.host
    const preferred = this.opts.preferredPort ?? 0
    const candidates =
      port !== 0
        ? [port]
        : preferred
          ? [preferred, preferred + 1, preferred + 2, 0, 0, 0, 0]
          : [0, 0, 0, 0]
    let lastError: unknown = null
    for (const candidate of candidates) {
      if (this.destroyed) throw new SwarmDestroyedError()
      try {
        await listenTcp(this.server, candidate, host)
      } catch (err) {
        lastError = err
        continue
      }
      const tcpPort = this.address()?.port ?? 0
      if (this.dht !== null) {
        await this.dht.ready()
        await this.startMdns()
        this.emit('listening')
        return
      }
      let created: Awaited<ReturnType<DHTFactory>>
      try {
        created = await this.createDHT(tcpPort, host)
      } catch (err) {
        // Usually the UDP port number is taken: try the next candidate for both.
        lastError = err
        await new Promise<void>((resolve) => this.server.close(() => resolve()))
        continue
      }
      if (this.destroyed) {
        await created.udp?.close().catch(() => {})
        await Promise.resolve(created.dht.destroy()).catch(() => {})
        await created.close?.().catch(() => {})
        throw new SwarmDestroyedError()
      }
      this.dht = created.dht
      this.dhtPort = created.port
      this.udp = created.udp
      this.releaseDHT = created.close ?? null
      this.udp?.on('connection', (socket: SwarmSocket) => this.onIncoming(socket, false))
      await this.dht.ready()
      await this.startMdns()
      this.emit('listening')
      return
    }
    throw lastError instanceof Error
      ? lastError
      : new SwarmError('ERR_LISTEN_FAILED', 'could not bind TCP and UDP on a common port')
  }

  private createDHT(port: number, host: string) {
    const factory = this.opts.createDHT ?? createDefaultDHT
    return factory({
      bootstrap: this.opts.bootstrap ?? [],
      ephemeral: this.opts.ephemeral ?? HYPERSWARM_DEFAULTS.ephemeral,
      port,
      host,
    })
  }

  private async startMdns(): Promise<void> {
    const opts = this.opts.mdns
    if (!opts || this.destroyed) return
    const mdns = new MdnsDiscovery(opts === true ? {} : opts)
    this.mdns = mdns
    mdns.on('peer', (peer) => {
      if (peer.topic && this.statuses.get(peer.topic.toString('hex'))?.lookup) this.onPeer(peer)
    })
    mdns.on('warning', (err) => this.emit('warning', err))
    // LAN discovery is a bonus: when multicast is unavailable the swarm goes on without it.
    await mdns.ready().catch(async (err: Error) => {
      this.mdns = null
      await mdns.destroy()
      this.emit('warning', err)
    })
  }

  /** 0 (DHT records our UDP source port) when the DHT shares our TCP port number. */
  private announcePort(): number {
    if (this.opts.announcePort) return this.opts.announcePort
    const tcpPort = this.address()?.port ?? 0
    return this.dhtPort === tcpPort ? 0 : tcpPort
  }

  private localAddress(): PeerAddress | null {
    if (!this.opts.announceLocalAddress) return null
    const host = localIPv4()
    const port = this.address()?.port ?? 0
    return host === null ? null : { host, port }
  }

  private async leaveTopic(hex: string): Promise<void> {
    const t = this.topics.get(hex)
    if (t === undefined) return
    this.topics.delete(hex)
    this.mdns?.leave(t.key)
    await this.withTimeout(t.destroy())
  }

  private withTimeout(p: Promise<unknown>): Promise<void> {
    const ms = this.opts.unannounceTimeout ?? HYPERSWARM_DEFAULTS.unannounceTimeout
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms)
      p.finally(() => {
        clearTimeout(timer)
        resolve()
      }).catch(() => {})
    })
  }

  private onPeer(peer: SwarmPeer): void {
    if (this.destroyed) return
    if (!this.validatePeer(peer)) {
      this.emit('peer-rejected', peer)
      return
    }
    this.emit('peer', peer)
    this.queue.add(peer)
  }

  private onIncoming(socket: SwarmSocket, isTCP: boolean): void {
    if (this.destroyed || !this.open || this.serverSockets >= this.maxServerSockets) {
      socket.destroy()
      return
    }
    if (socket instanceof net.Socket) socket.setNoDelay(true)
    socket.on('error', () => {})
    const info = new PeerInfo(null, this.queue)
    info.connected(socket, isTCP)
    this.connections.add(socket)
    this.serverSockets++
    this.peers++
    socket.once('close', () => {
      info.disconnected()
      this.connections.delete(socket)
      this.serverSockets--
      this.peers--
      this.emit('disconnection', socket, info)
      this.drain()
    })
    this.emit('connection', socket, info)
  }

  private drain(): void {
    const maxDials = this.opts.maxParallelDials ?? HYPERSWARM_DEFAULTS.maxParallelDials
    while (!this.destroyed && this.open && this.dials < maxDials) {
      if (this.clientSockets >= this.maxClientSockets) return
      const info = this.queue.shift()
      if (info === null) return
      if (!this.wantsPeer(info)) {
        // Found under a topic we left since: drop it (it may be found again after a rejoin).
        info.setActive(false)
        this.emit('peer-skipped', info.peer)
        this.wakeAttemptWaiters()
        continue
      }
      this.dial(info)
    }
  }

  // Only dial peers of topics we still look up (the peer keeps the topic it was found under;
  // info.topics is cleared on disconnect, as hyperswarm@2 does).
  private wantsPeer(info: PeerInfo): boolean {
    const topic = info.peer?.topic
    if (!topic) return true
    if (this.topics.has(topic.toString('hex'))) return true
    return info.topics.some((t) => this.topics.has(t.toString('hex')))
  }

  private dial(info: PeerInfo): void {
    const peer = info.peer
    if (peer === null) return
    this.dials++
    this.clientSockets++
    this.peers++
    this.connect(peer).then(
      ({ socket, isTCP }) => {
        this.dials--
        if (this.destroyed) {
          socket.destroy()
          return
        }
        socket.on('error', () => {})
        this.connections.add(socket)
        info.connected(socket, isTCP)
        socket.once('close', () => {
          info.disconnected()
          this.connections.delete(socket)
          this.clientSockets--
          this.peers--
          this.emit('disconnection', socket, info)
          this.queue.requeue(info)
          setImmediate(() => this.drain())
        })
        this.emit('connection', socket, info)
        this.wakeAttemptWaiters()
        this.drain()
      },
      (err: unknown) => {
        this.dials--
        this.clientSockets--
        this.peers--
        if (this.destroyed) return
        const error =
          err instanceof SwarmError ? err : new ConnectFailedError(peer.host, peer.port, err)
        this.emit('connect-failed', error, info)
        if (!this.queue.requeue(info) && !info.banned) this.emit('peer-unresponsive', info)
        this.wakeAttemptWaiters()
        this.drain()
      },
    )
  }

  private wakeAttemptWaiters(): void {
    const waiters = this.attemptWaiters
    this.attemptWaiters = []
    for (const wake of waiters) wake()
  }
}

function checkTopic(topic: Uint8Array): Buffer {
  if (!(topic instanceof Uint8Array)) throw new InvalidTopicError(typeof topic)
  if (topic.length !== 32) throw new InvalidTopicError(`${topic.length} bytes`)
  return Buffer.from(topic.buffer, topic.byteOffset, topic.byteLength)
}

function listenTcp(server: net.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      server.removeListener('listening', onListening)
      reject(err)
    }
    const onListening = () => {
      server.removeListener('error', onError)
      resolve()
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen(port, host)
  })
}
