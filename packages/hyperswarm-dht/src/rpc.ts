// The UDP request/response layer of dht-rpc@4: one socket, 16-bit request ids, the 750 ms tick
// with 3 sends per request, back-pressure, round-trip tokens, holepunch relays on retry, and
// the first line of defence against hostile datagrams (size, decode, rate).

import dgram from 'node:dgram'
import type { PeerAddress } from './addr.js'
import { encodeAddr, encodeAddrMaybe, isIPv4 } from './addr.js'
import { CancelledError, QueueFullError, TimeoutError } from './errors.js'
import type { Message, MessageInput } from './messages/message.js'
import {
  TYPE_QUERY,
  TYPE_RESPONSE,
  TYPE_UPDATE,
  VERSION,
  decodeMessage,
  encodeMessage,
} from './messages/message.js'
import { encodeHolepunch } from './messages/values.js'
import { RateLimiter } from './rate-limit.js'
import type { DHTStats } from './stats.js'
import { TOKEN_ROTATE_MS, TokenSecrets } from './token.js'

/** A request target: an address, maybe its id (checked against the reply) and its referrer. */
export interface RequestPeer extends PeerAddress {
  id?: Buffer | null
  referrer?: PeerAddress | null
  roundtripToken?: Buffer | null
  /** Set once a fast holepunch was armed for this peer object (one per peer, as the original). */
  fastHolepunch?: boolean
}

export interface Reply {
  message: Message
  from: PeerAddress
}

export interface RpcHandler {
  onRequest(type: 'query' | 'update', message: Message, from: PeerAddress): void
  onResponse(message: Message, from: PeerAddress): void
  /** A reply to a request sent to a known id came with another (or no) id. */
  onBadId(peer: RequestPeer): void
}

export interface RpcOptions {
  /** Share an existing UDP socket (e.g. with uTP); it is not closed by destroy(). */
  socket?: dgram.Socket
  /** Retry tick; the original's 750 ms gives 3 sends and failure after about 7.5 s. */
  tickInterval?: number
  /** In-flight requests before the send rate is considered (dht-rpc: 16). */
  concurrency?: number
  /** Requests per second (5 s average) that, with `concurrency` in flight, saturate (50). */
  concurrencyRps?: number
  /** Requests waiting for a free slot before new ones are refused. */
  maxPending?: number
  /** Datagrams larger than this are dropped unread. */
  maxPacketSize?: number
  /** Requests per second one address may make. */
  maxRequestsPerSecond?: number
}

export const RPC_DEFAULTS = {
  tickInterval: 750,
  concurrency: 16,
  concurrencyRps: 50,
  maxPending: 4096,
  maxPacketSize: 4096,
  maxRequestsPerSecond: 400,
}

const TRIES = 3
const FAST_HOLEPUNCH_MS = 500

interface InflightRequest {
  rid: number
  message: MessageInput
  buffer: Buffer
  peer: RequestPeer
  timeout: number
  tries: number
  holepunchTimer: NodeJS.Timeout | null
  resolve(reply: Reply): void
  reject(err: Error): void
}

interface PendingRequest {
  message: MessageInput
  peer: RequestPeer
  resolve(reply: Reply): void
  reject(err: Error): void
}

export class Rpc {
  /** The id we send (null while ephemeral). */
  id: Buffer | null
  readonly socket: dgram.Socket
  readonly stats: DHTStats
  destroyed = false

  private readonly handler: RpcHandler
  private readonly opts: typeof RPC_DEFAULTS
  /** False when the socket was handed in (shared): destroy() leaves it open. */
  readonly ownsSocket: boolean
  private readonly inflight = new Map<number, InflightRequest>()
  private pending: PendingRequest[] = []
  private readonly secrets = new TokenSecrets()
  private readonly limiter: RateLimiter
  private readonly tickTimer: NodeJS.Timeout
  private readonly rotateTimer: NodeJS.Timeout
  private rid = Math.floor(Math.random() * 65536)
  private ticking = false
  // sends per second over the last 5 s, for the original's saturation rule
  private readonly rateCounts = [0, 0, 0, 0, 0]
  private readonly rateSeconds = [0, 0, 0, 0, 0]
  private readonly onMessageBound: (buf: Buffer, rinfo: dgram.RemoteInfo) => void

  constructor(handler: RpcHandler, id: Buffer | null, stats: DHTStats, opts: RpcOptions = {}) {
    this.handler = handler
    this.id = id
    this.stats = stats
    this.opts = {
      tickInterval: opts.tickInterval ?? RPC_DEFAULTS.tickInterval,
      concurrency: opts.concurrency ?? RPC_DEFAULTS.concurrency,
      concurrencyRps: opts.concurrencyRps ?? RPC_DEFAULTS.concurrencyRps,
      maxPending: opts.maxPending ?? RPC_DEFAULTS.maxPending,
      maxPacketSize: opts.maxPacketSize ?? RPC_DEFAULTS.maxPacketSize,
      maxRequestsPerSecond: opts.maxRequestsPerSecond ?? RPC_DEFAULTS.maxRequestsPerSecond,
    }
    this.limiter = new RateLimiter({ perSecond: this.opts.maxRequestsPerSecond })
    this.ownsSocket = !opts.socket
    this.socket = opts.socket ?? dgram.createSocket('udp4')
    this.onMessageBound = (buf, rinfo) => this.onMessage(buf, rinfo)
    this.socket.on('message', this.onMessageBound)
    this.tickTimer = setInterval(() => this.onTick(), this.opts.tickInterval)
    this.rotateTimer = setInterval(() => this.secrets.rotate(), TOKEN_ROTATE_MS)
    this.tickTimer.unref()
    this.rotateTimer.unref()
  }

  /** Requests in flight right now (queries use it to share the node-wide concurrency). */
  get inflightCount(): number {
    return this.inflight.size
  }

  get concurrency(): number {
    return this.opts.concurrency
  }

  /** The token we issue to `host` now. */
  token(host: string): Buffer {
    return this.secrets.issue(host)
  }

  /** Sends a request and resolves with the first reply whose rid matches (error replies too). */
  request(
    message: Omit<MessageInput, 'rid'>,
    peer: RequestPeer,
    immediate = false,
  ): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      if (this.destroyed) {
        reject(new CancelledError('Request cancelled'))
        return
      }
      const full: MessageInput = { ...message, rid: 0 }
      if (immediate || (this.pending.length === 0 && !this.saturated())) {
        this.sendRequest(full, peer, resolve, reject)
        return
      }
      if (this.pending.length >= this.opts.maxPending) {
        reject(new QueueFullError(`more than ${this.opts.maxPending} requests queued`))
        return
      }
      this.pending.push({ message: full, peer, resolve, reject })
    })
  }

  /** A QUERY with our id, version and `to` filled in. */
  query(
    command: string,
    target: Buffer | null,
    value: Buffer | null,
    peer: RequestPeer,
    immediate = false,
  ): Promise<Reply> {
    return this.request(
      {
        version: VERSION,
        type: TYPE_QUERY,
        to: encodeAddrMaybe(peer),
        id: this.id,
        target,
        command,
        value,
      },
      peer,
      immediate,
    )
  }

  /** An UPDATE carrying the peer's round-trip token. */
  update(
    command: string,
    target: Buffer | null,
    value: Buffer | null,
    peer: RequestPeer,
  ): Promise<Reply> {
    return this.request(
      {
        version: VERSION,
        type: TYPE_UPDATE,
        to: encodeAddrMaybe(peer),
        id: this.id,
        roundtripToken: peer.roundtripToken ?? null,
        target,
        command,
        value,
      },
      peer,
    )
  }

  /** A success reply: our id, the sender's addr6 in `to`, a fresh token. */
  respond(
    request: Message,
    to: PeerAddress,
    value: Buffer | null,
    closerNodes: Buffer | null,
  ): void {
    this.sendResponse(
      {
        version: VERSION,
        type: TYPE_RESPONSE,
        rid: request.rid,
        to: encodeAddr(to),
        id: this.id,
        closerNodes,
        roundtripToken: this.secrets.issue(to.host),
        value,
      },
      to,
    )
  }

  /** An error reply: no token (so the asker never sends us the UPDATE), maybe a proof value. */
  respondError(
    request: Message,
    to: PeerAddress,
    error: string,
    closerNodes: Buffer | null,
    value: Buffer | null = null,
  ): void {
    this.sendResponse(
      {
        version: VERSION,
        type: TYPE_RESPONSE,
        rid: request.rid,
        to: encodeAddr(to),
        id: this.id,
        closerNodes,
        error,
        value,
      },
      to,
    )
  }

  /** Fire and forget (the holepunch relay). */
  sendRaw(buffer: Buffer, peer: PeerAddress): void {
    if (this.destroyed) return
    this.stats.sent.bytes += buffer.length
    try {
      this.socket.send(buffer, 0, buffer.length, peer.port, peer.host, noop)
    } catch {
      // an unusable address (port 0, closed socket): the request simply gets no reply
    }
  }

  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    clearInterval(this.tickTimer)
    clearInterval(this.rotateTimer)
    this.socket.removeListener('message', this.onMessageBound)
    const pending = this.pending
    this.pending = []
    for (const p of pending) p.reject(new CancelledError('Request cancelled'))
    for (const req of [...this.inflight.values()])
      this.finish(req, new CancelledError('Request cancelled'), null)
    if (this.ownsSocket) {
      try {
        this.socket.close()
      } catch {
        // not bound yet or already closed: nothing to release
      }
    }
  }

  private sendResponse(m: MessageInput, to: PeerAddress): void {
    this.stats.sent.responses++
    this.sendRaw(encodeMessage(m), to)
  }

  private nextRid(): number {
    // 16-bit counter from a random start, as the original; skip ids still in flight
    for (let i = 0; i < 65536; i++) {
      const rid = this.rid
      this.rid = (this.rid + 1) & 0xffff
      if (!this.inflight.has(rid)) return rid
    }
    return this.rid
  }

  private countSend(): void {
    const second = Math.floor(Date.now() / 1000)
    const slot = second % 5
    if (this.rateSeconds[slot] !== second) {
      this.rateSeconds[slot] = second
      this.rateCounts[slot] = 0
    }
    this.rateCounts[slot]++
  }

  private saturated(): boolean {
    if (this.inflight.size < this.opts.concurrency) return false
    const second = Math.floor(Date.now() / 1000)
    let sum = 0
    for (let i = 0; i < 5; i++) if (this.rateSeconds[i] > second - 5) sum += this.rateCounts[i]
    return sum / 5 >= this.opts.concurrencyRps
  }

  private sendRequest(
    message: MessageInput,
    peer: RequestPeer,
    resolve: (r: Reply) => void,
    reject: (e: Error) => void,
  ): void {
    const rid = this.nextRid()
    message.rid = rid
    const buffer = encodeMessage(message)
    const req: InflightRequest = {
      rid,
      message,
      buffer,
      peer,
      timeout: this.ticking ? 5 : 4,
      tries: 0,
      holepunchTimer: null,
      resolve,
      reject,
    }
    if (peer.referrer && !peer.fastHolepunch) {
      peer.fastHolepunch = true
      req.holepunchTimer = setTimeout(() => this.relayHolepunch(req), FAST_HOLEPUNCH_MS)
      req.holepunchTimer.unref()
    }
    this.inflight.set(rid, req)
    this.countSend()
    this.sendRequestBuffer(req)
    // a _holepunch goes to the target and, with the same rid, to the referrer at once
    if (message.command === '_holepunch') this.relayHolepunch(req)
  }

  private sendRequestBuffer(req: InflightRequest): void {
    if (req.message.type === TYPE_UPDATE) this.stats.sent.updates++
    else this.stats.sent.queries++
    this.sendRaw(req.buffer, req.peer)
  }

  /** Asks the referrer to forward a _holepunch to the request's peer (dht-rpc@4 io._holepunch). */
  private relayHolepunch(req: InflightRequest): void {
    const referrer = req.peer.referrer
    if (!referrer || this.destroyed || !isIPv4(req.peer.host)) return
    const rid = req.message.command === '_holepunch' ? req.rid : this.nextRid()
    const punch = encodeMessage({
      version: VERSION,
      type: TYPE_QUERY,
      rid,
      to: encodeAddrMaybe(referrer),
      id: req.message.id ?? null,
      command: '_holepunch',
      value: encodeHolepunch({ to: encodeAddr(req.peer) }),
    })
    this.stats.sent.holepunches++
    this.sendRaw(punch, referrer)
  }

  private onTick(): void {
    this.ticking = true
    for (const req of [...this.inflight.values()]) {
      if (!this.inflight.has(req.rid)) continue
      if (req.timeout === 2 && ++req.tries < TRIES) {
        if (this.saturated()) {
          req.tries--
          continue
        }
        req.timeout = 4
        this.stats.retries++
        this.sendRequestBuffer(req)
        if (req.peer.referrer) this.relayHolepunch(req)
        continue
      }
      if (--req.timeout > 0) continue
      this.stats.timeouts++
      this.finish(req, new TimeoutError('Request timed out'), null)
    }
    this.ticking = false
  }

  private finish(req: InflightRequest, err: Error | null, reply: Reply | null): void {
    if (this.inflight.get(req.rid) !== req) return
    this.inflight.delete(req.rid)
    if (req.holepunchTimer) clearTimeout(req.holepunchTimer)
    if (reply && req.peer.id) {
      const id = reply.message.id
      if (!id || !id.equals(req.peer.id)) this.handler.onBadId(req.peer)
    }
    if (err) req.reject(err)
    else if (reply) req.resolve(reply)
    this.drain()
  }

  private drain(): void {
    while (this.pending.length > 0 && !this.saturated() && !this.destroyed) {
      const p = this.pending.shift()
      if (p) this.sendRequest(p.message, p.peer, p.resolve, p.reject)
    }
  }

  private onMessage(buf: Buffer, rinfo: dgram.RemoteInfo): void {
    if (this.destroyed || !rinfo.port) return
    // a shared uTP socket: uTP packets (>= 20 bytes, version nibble 1) are not ours
    if (buf.length >= 20 && (buf[0] & 0x0f) === 1) return
    if (buf.length > this.opts.maxPacketSize) {
      this.stats.oversized++
      return
    }
    let message: Message
    try {
      message = decodeMessage(buf)
    } catch {
      this.stats.malformed++
      return
    }
    if (message.id && message.id.length !== 32) {
      this.stats.malformed++
      return
    }
    // messages from pre-v1 senders are treated as ephemeral
    if (message.id && !(message.version >= VERSION)) message.id = null
    const from: PeerAddress = { host: rinfo.address, port: rinfo.port }

    switch (message.type) {
      case TYPE_RESPONSE: {
        const req = this.inflight.get(message.rid)
        // matched by rid as the original; when we sent to a literal IP, the reply must come
        // from that host (a cheap check against blind spoofing that NATs do not break)
        if (!req || (isIPv4(req.peer.host) && req.peer.host !== from.host)) {
          this.stats.unmatched++
          return
        }
        this.stats.received.responses++
        this.stats.received.bytes += buf.length
        this.handler.onResponse(message, from)
        this.finish(req, null, { message, from })
        return
      }
      case TYPE_QUERY:
      case TYPE_UPDATE: {
        if (!this.limiter.allow(`${from.host}:${from.port}`)) {
          this.stats.rateLimited++
          return
        }
        if (message.type === TYPE_UPDATE) {
          if (!this.secrets.verify(from.host, message.roundtripToken)) {
            this.stats.badToken++
            return
          }
          this.stats.received.updates++
        } else {
          this.stats.received.queries++
        }
        this.stats.received.bytes += buf.length
        this.handler.onRequest(message.type === TYPE_UPDATE ? 'update' : 'query', message, from)
        return
      }
      default:
        this.stats.malformed++
    }
  }
}

function noop(): void {}
