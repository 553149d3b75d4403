// LAN discovery over multicast DNS, as @hyperswarm/discovery@2: topics that look up send an SRV
// query now and every 30-60 s; announcing topics answer with their port and a per-topic id (so
// a swarm never finds itself) and send one unsolicited answer when they start. Off by default.
import { randomBytes } from 'node:crypto'
import dgram from 'node:dgram'
import { EventEmitter } from 'node:events'
import {
  type MdnsAnswer,
  type MdnsMessage,
  decodeMessage,
  encodeQuery,
  encodeResponse,
  topicDomain,
} from './mdns-packet.js'
import type { PeerAddress, SwarmPeer } from './peer.js'

export interface MdnsOptions {
  /** Multicast port. Default 5353. */
  port?: number
  /** Multicast group. Default '224.0.0.251'. */
  group?: string
  /** IPv4 address of the interface to join and send on (default: the OS's choice). */
  interface?: string
  /** Address to bind (default '0.0.0.0'; the group address also works on Linux). */
  host?: string
  /** Multicast TTL. Default 255 (as multicast-dns). */
  ttl?: number
  /** Delay range in ms between queries of a topic. Default [30000, 60000]. */
  queryInterval?: readonly [number, number]
}

export const MDNS_DEFAULTS = {
  port: 5353,
  group: '224.0.0.251',
  host: '0.0.0.0',
  ttl: 255,
  queryInterval: [30_000, 60_000] as const,
} as const

interface MdnsTopic {
  key: Buffer
  name: string
  /** "id=" + 32 random bytes, as the original's TXT record. */
  id: Buffer
  port: number
  announce: boolean
  lookup: boolean
  timer: NodeJS.Timeout | null
}

export interface MdnsEvents {
  peer: [peer: SwarmPeer]
  warning: [err: Error]
}

export class MdnsDiscovery extends EventEmitter<MdnsEvents> {
  readonly stats = { malformed: 0 }
  private readonly opts: Required<Omit<MdnsOptions, 'interface'>> & { interface?: string }
  private readonly socket: dgram.Socket
  private readonly topics = new Map<string, MdnsTopic>()
  private binding: Promise<void> | null = null
  private destroyed = false

  constructor(opts: MdnsOptions = {}) {
    super()
    this.opts = {
      port: opts.port ?? MDNS_DEFAULTS.port,
      group: opts.group ?? MDNS_DEFAULTS.group,
      host: opts.host ?? MDNS_DEFAULTS.host,
      ttl: opts.ttl ?? MDNS_DEFAULTS.ttl,
      queryInterval: opts.queryInterval ?? MDNS_DEFAULTS.queryInterval,
      interface: opts.interface,
    }
    this.socket = dgram.createSocket({ type: 'udp4', reuseAddr: true })
    this.socket.on('message', (buf, rinfo) =>
      this.onMessage(buf, { host: rinfo.address, port: rinfo.port }),
    )
    this.socket.on('error', (err) => this.emit('warning', err))
  }

  /** Binds and joins the group; idempotent. */
  ready(): Promise<void> {
    if (this.binding === null) {
      this.binding = new Promise<void>((resolve, reject) => {
        const onError = (err: Error) => reject(err)
        this.socket.once('error', onError)
        this.socket.bind(this.opts.port, this.opts.host, () => {
          this.socket.removeListener('error', onError)
          try {
            this.socket.addMembership(this.opts.group, this.opts.interface)
            if (this.opts.interface) this.socket.setMulticastInterface(this.opts.interface)
            this.socket.setMulticastTTL(this.opts.ttl)
            this.socket.setMulticastLoopback(true)
            resolve()
          } catch (err) {
            reject(err)
          }
        })
      })
    }
    return this.binding
  }

  /** Starts (or updates) a topic: answer queries for it when announcing, query when looking up. */
  join(topic: Buffer, opts: { port: number; announce: boolean; lookup: boolean }): void {
    if (this.destroyed) return
    this.leave(topic)
    const name = topicDomain(topic)
    const t: MdnsTopic = {
      key: topic,
      name,
      id: Buffer.concat([Buffer.from('id='), randomBytes(32)]),
      port: opts.port,
      announce: opts.announce,
      lookup: opts.lookup,
      timer: null,
    }
    this.topics.set(name, t)
    if (t.announce) this.send(encodeResponse(this.answersFor(t)))
    // As the original, only topics that look up send queries.
    if (t.lookup) this.query(t)
  }

  leave(topic: Buffer): void {
    const name = topicDomain(topic)
    const t = this.topics.get(name)
    if (t === undefined) return
    if (t.timer !== null) clearTimeout(t.timer)
    this.topics.delete(name)
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return
    this.destroyed = true
    for (const t of this.topics.values()) if (t.timer !== null) clearTimeout(t.timer)
    this.topics.clear()
    await this.binding?.catch(() => {})
    await new Promise<void>((resolve) => {
      try {
        this.socket.close(() => resolve())
      } catch {
        resolve()
      }
    })
  }

  private query(t: MdnsTopic): void {
    if (this.destroyed || this.topics.get(t.name) !== t) return
    this.send(encodeQuery(t.name))
    const [min, max] = this.opts.queryInterval
    t.timer = setTimeout(() => this.query(t), min + Math.random() * (max - min))
    t.timer.unref()
  }

  private answersFor(t: MdnsTopic): MdnsAnswer[] {
    return [
      { type: 'SRV', name: t.name, port: t.port, target: '0.0.0.0' },
      { type: 'TXT', name: t.name, data: [t.id] },
    ]
  }

  private send(packet: Buffer): void {
    if (this.destroyed) return
    this.ready().then(
      () => {
        if (this.destroyed) return
        this.socket.send(packet, this.opts.port, this.opts.group, (err) => {
          if (err) this.emit('warning', err)
        })
      },
      (err: Error) => this.emit('warning', err),
    )
  }

  private onMessage(buf: Buffer, from: PeerAddress): void {
    const message = decodeMessage(buf)
    if (message === null) {
      this.stats.malformed++
      return
    }
    if (message.response) this.onResponse(message, from)
    else this.onQuery(message, from)
  }

  private onQuery(message: MdnsMessage, from: PeerAddress): void {
    const answers: MdnsAnswer[] = []
    for (const q of message.questions) {
      const t = this.topics.get(q.name)
      if (t?.announce) answers.push(...this.answersFor(t))
    }
    if (answers.length === 0) return
    answers.push({ type: 'A', name: 'referrer.hyperswarm.local', address: from.host })
    this.send(encodeResponse(answers))
  }

  private onResponse(message: MdnsMessage, from: PeerAddress): void {
    for (const a of message.answers) {
      if (a.type !== 'SRV') continue
      const t = this.topics.get(a.name)
      if (t === undefined || !t.lookup) continue
      const txt = message.answers.find((x) => x.type === 'TXT' && x.name === a.name)
      const id = txt?.type === 'TXT' ? txt.data[0] : undefined
      if (id?.equals(t.id)) continue
      if (a.port <= 0 || a.port > 65535) continue
      const host = a.target === '0.0.0.0' ? from.host : a.target
      this.emit('peer', { host, port: a.port, local: true, to: null, referrer: null, topic: t.key })
    }
  }
}
