// One reliable, ordered byte stream over UDP datagrams (see udp-packet.ts for the framing):
// numbered packets, cumulative acks, a fixed window, retransmission with exponential backoff.
// It is a Node Duplex like a net.Socket: 'connect', 'data', 'end', 'close'; no half-open.
import { Duplex } from 'node:stream'
import { UdpStreamError } from './errors.js'
import type { PeerAddress } from './peer.js'
import {
  MAX_PAYLOAD,
  type Packet,
  PacketType,
  type PacketTypeValue,
  ROLE_DIALLER,
  encodePacket,
} from './udp-packet.js'

export interface UdpStreamOptions {
  /** Sends one datagram to the remote end. */
  send: (datagram: Buffer) => void
  remote: PeerAddress
  connection: number
  /** Our role: ROLE_DIALLER or ROLE_ACCEPTOR. */
  role: number
  /** Packets in flight and buffered out of order. Default 64. */
  window?: number
  /** First retransmission timeout in ms; doubles per retry up to 2000. Default 200. */
  rto?: number
  /** Retransmissions of one packet before the stream fails with ERR_UDP_TIMEOUT. Default 8. */
  maxRetries?: number
  /** ms of silence from us after which we send an empty ack, keeping NAT mappings open. 10000. */
  keepAlive?: number
  /** ms without any packet from the remote before failing with ERR_UDP_TIMEOUT. 45000. */
  idleTimeout?: number
}

export const UDP_STREAM_DEFAULTS = {
  window: 64,
  rto: 200,
  maxRetries: 8,
  keepAlive: 10_000,
  idleTimeout: 45_000,
} as const

const MAX_RTO = 2000
const TICK_MS = 50
/** Overdue packets resent per timer tick. */
const RTO_BURST = 16
/** Queued outgoing packets beyond which write callbacks wait (backpressure). */
const SEND_QUEUE_HIGH = 256

interface Outgoing {
  type: PacketTypeValue
  seq: number
  payload: Buffer
  sentAt: number
  tries: number
  rto: number
  /** Resent at least once: no round-trip sample from it (Karn's rule). */
  resent: boolean
}

export class UdpStream extends Duplex {
  readonly remoteAddress: string
  readonly remotePort: number
  readonly connection: number
  readonly role: number
  connected: boolean

  private readonly sendDatagram: (datagram: Buffer) => void
  private readonly keepAlive: number
  private readonly idleTimeout: number
  private readonly keepAliveTimer: NodeJS.Timeout
  private lastSent = 0
  private lastReceived = Date.now()
  private readonly window: number
  private readonly initialRto: number
  private readonly maxRetries: number
  private sendNext = 1
  private readonly unacked = new Map<number, Outgoing>()
  // Packets waiting for window space; read from `sendHead` (shift() on a long array is O(n)).
  private sendQueue: Array<{ type: PacketTypeValue; payload: Buffer }> = []
  private sendHead = 0
  private remoteWindow: number
  private recvNext = 1
  private readonly recvBuffer = new Map<number, { type: PacketTypeValue; payload: Buffer }>()
  private finSeq = 0
  private finAcked = false
  private finReceived = false
  private finalCallback: ((err?: Error | null) => void) | null = null
  private writeCallback: ((err?: Error | null) => void) | null = null
  private timer: NodeJS.Timeout | null = null
  private lastAck = 1
  private ackScheduled = false
  /** Smoothed round-trip time in ms (0 until measured). */
  private srtt = 0
  private duplicateAcks = 0
  private syn: { sentAt: number; tries: number; rto: number } | null = null

  constructor(opts: UdpStreamOptions) {
    super({ allowHalfOpen: false })
    const send = opts.send
    this.sendDatagram = (datagram) => {
      this.lastSent = Date.now()
      send(datagram)
    }
    this.keepAlive = opts.keepAlive ?? UDP_STREAM_DEFAULTS.keepAlive
    this.idleTimeout = opts.idleTimeout ?? UDP_STREAM_DEFAULTS.idleTimeout
    // NAT mappings for UDP live ~30 s without traffic (Linux conntrack: 30 s, 120 s once both
    // ways): an idle connection sends an empty ack now and then, and gives up on a silent peer.
    this.keepAliveTimer = setInterval(
      () => this.checkAlive(),
      Math.min(this.keepAlive, this.idleTimeout),
    )
    this.keepAliveTimer.unref()
    this.remoteAddress = opts.remote.host
    this.remotePort = opts.remote.port
    this.connection = opts.connection
    this.role = opts.role
    this.window = opts.window ?? UDP_STREAM_DEFAULTS.window
    this.remoteWindow = this.window
    this.initialRto = opts.rto ?? UDP_STREAM_DEFAULTS.rto
    this.maxRetries = opts.maxRetries ?? UDP_STREAM_DEFAULTS.maxRetries
    this.connected = this.role !== ROLE_DIALLER
  }

  /** Dialler: sends SYN (retransmitted until any answer); 'connect' follows. */
  open(): void {
    if (this.connected || this.syn !== null) return
    this.syn = { sentAt: Date.now(), tries: 0, rto: this.initialRto }
    this.sendControl(PacketType.SYN)
    this.startTimer()
  }

  /** Acceptor: answers a (possibly repeated) SYN. */
  acceptSyn(): void {
    this.sendControl(PacketType.SYNACK)
  }

  /** Feeds one decoded packet of this connection. */
  receive(p: Packet): void {
    if (this.destroyed) return
    this.lastReceived = Date.now()
    if (p.type === PacketType.RESET) {
      // A reset after both sides finished is the remote forgetting us early: a clean close.
      if (this.finAcked && this.finReceived) this.destroy()
      else this.destroy(new UdpStreamError('ERR_UDP_RESET', 'connection reset by the remote'))
      return
    }
    if (!this.connected) {
      this.connected = true
      this.syn = null
      this.emit('connect')
    }
    if (p.type === PacketType.SYN) {
      this.acceptSyn()
      return
    }
    this.onAck(p.ack, p.window, p.sack)
    if (p.type === PacketType.DATA || p.type === PacketType.FIN) this.onSequenced(p)
  }

  override _read(): void {}

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    for (let i = 0; i < chunk.length; i += MAX_PAYLOAD) {
      this.sendQueue.push({ type: PacketType.DATA, payload: chunk.subarray(i, i + MAX_PAYLOAD) })
    }
    this.pump()
    if (this.queued() > SEND_QUEUE_HIGH) this.writeCallback = cb
    else cb()
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.sendQueue.push({ type: PacketType.FIN, payload: Buffer.alloc(0) })
    this.finalCallback = cb
    this.pump()
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.stopTimer()
    clearInterval(this.keepAliveTimer)
    if (!(this.finAcked && this.finReceived)) this.sendControl(PacketType.RESET)
    this.unacked.clear()
    this.sendQueue = []
    this.sendHead = 0
    this.recvBuffer.clear()
    const pending = this.writeCallback
    this.writeCallback = null
    pending?.(err ?? new UdpStreamError('ERR_UDP_CLOSED', 'stream destroyed'))
    cb(err)
  }

  private onAck(ack: number, window: number, sack: number): void {
    const now = Date.now()
    this.remoteWindow = Math.max(1, Math.min(window, this.window))
    if (ack > this.lastAck) {
      this.lastAck = ack
      this.duplicateAcks = 0
    } else if (ack === this.lastAck && this.unacked.has(ack) && ++this.duplicateAcks === 3) {
      // Fast retransmit: three acks stuck at the same packet mean it was lost.
      const lost = this.unacked.get(ack)
      if (lost !== undefined) this.resend(lost, now)
    }
    for (const [seq, out] of this.unacked) {
      if (seq >= ack) break
      this.acked(seq, out, now)
    }
    // Packets the receiver holds out of order are done; the ones missing below the highest
    // of them are lost: resend each at most once per round trip.
    let highest = 0
    for (let i = 0; i < 16; i++) {
      if (!(sack & (1 << i))) continue
      const seq = ack + 1 + i
      highest = seq
      const out = this.unacked.get(seq)
      if (out !== undefined) this.acked(seq, out, now)
    }
    if (highest > 0) {
      const gap = Math.max(5, this.srtt * 1.5)
      for (const [seq, out] of this.unacked) {
        if (seq >= highest) break
        if (now - out.sentAt < gap) continue
        this.resend(out, now)
      }
    }
    this.pump()
  }

  private acked(seq: number, out: Outgoing, now: number): void {
    this.unacked.delete(seq)
    if (!out.resent && seq === this.lastAck - 1) {
      const sample = now - out.sentAt
      this.srtt = this.srtt === 0 ? sample : 0.875 * this.srtt + 0.125 * sample
    }
    if (seq === this.finSeq) {
      this.finAcked = true
      const cb = this.finalCallback
      this.finalCallback = null
      cb?.()
    }
  }

  private sackBits(): number {
    let bits = 0
    if (this.recvBuffer.size === 0) return 0
    for (let i = 0; i < 16; i++) if (this.recvBuffer.has(this.recvNext + 1 + i)) bits |= 1 << i
    return bits
  }

  private onSequenced(p: Packet): void {
    const seq = p.seq
    if (seq >= this.recvNext && seq < this.recvNext + this.window && !this.recvBuffer.has(seq)) {
      this.recvBuffer.set(seq, { type: p.type, payload: p.payload })
    }
    // Deliver what is now in order.
    let next = this.recvBuffer.get(this.recvNext)
    while (next !== undefined) {
      this.recvBuffer.delete(this.recvNext)
      this.recvNext++
      if (next.type === PacketType.FIN) {
        this.finReceived = true
        this.push(null)
      } else if (!this.finReceived) {
        this.push(Buffer.from(next.payload))
      }
      next = this.recvBuffer.get(this.recvNext)
    }
    // Ack every sequenced packet, duplicates too (our earlier ack may have been lost), but once
    // per event-loop turn: datagrams that arrived together share one ack. A FIN is acked at once:
    // the stream may close before the deferred ack would go out.
    if (this.finReceived) this.sendControl(PacketType.ACK)
    else this.scheduleAck()
  }

  private scheduleAck(): void {
    if (this.ackScheduled) return
    this.ackScheduled = true
    setImmediate(() => {
      this.ackScheduled = false
      if (!this.destroyed) this.sendControl(PacketType.ACK)
    })
  }

  private pump(): void {
    if (!this.connected || this.destroyed) return
    while (this.sendHead < this.sendQueue.length && this.unacked.size < this.remoteWindow) {
      const item = this.sendQueue[this.sendHead++]
      const seq = this.sendNext++
      if (item.type === PacketType.FIN) this.finSeq = seq
      const out: Outgoing = {
        ...item,
        seq,
        sentAt: Date.now(),
        tries: 0,
        rto: this.initialRto,
        resent: false,
      }
      this.unacked.set(seq, out)
      this.transmit(out)
    }
    if (this.sendHead > 1024 && this.sendHead * 2 > this.sendQueue.length) {
      this.sendQueue = this.sendQueue.slice(this.sendHead)
      this.sendHead = 0
    }
    if (this.writeCallback !== null && this.queued() <= SEND_QUEUE_HIGH) {
      const cb = this.writeCallback
      this.writeCallback = null
      cb()
    }
    if (this.unacked.size > 0) this.startTimer()
  }

  private resend(out: Outgoing, now: number): void {
    out.resent = true
    out.sentAt = now
    this.transmit(out)
  }

  private queued(): number {
    return this.sendQueue.length - this.sendHead
  }

  private transmit(out: Outgoing): void {
    this.sendDatagram(
      encodePacket({
        type: out.type,
        role: this.role,
        connection: this.connection,
        seq: out.seq,
        ack: this.recvNext,
        window: this.window,
        sack: this.sackBits(),
        payload: out.payload,
      }),
    )
  }

  private sendControl(type: PacketTypeValue): void {
    this.sendDatagram(
      encodePacket({
        type,
        role: this.role,
        connection: this.connection,
        seq: 0,
        ack: this.recvNext,
        window: this.window,
        sack: this.sackBits(),
        payload: Buffer.alloc(0),
      }),
    )
  }

  private startTimer(): void {
    if (this.timer !== null) return
    this.timer = setInterval(() => this.tick(), TICK_MS)
  }

  private stopTimer(): void {
    if (this.timer !== null) clearInterval(this.timer)
    this.timer = null
  }

  private tick(): void {
    const now = Date.now()
    const syn = this.syn
    if (syn !== null && now - syn.sentAt >= syn.rto) {
      if (++syn.tries > this.maxRetries) {
        this.fail()
        return
      }
      syn.sentAt = now
      syn.rto = Math.min(syn.rto * 2, MAX_RTO)
      this.sendControl(PacketType.SYN)
    }
    // On timeout resend the oldest packets that are overdue (at most RTO_BURST): acks are
    // cumulative, so the receiver may hold the rest; the oldest one's retries bound the stream.
    let burst = 0
    for (const out of this.unacked.values()) {
      if (burst === RTO_BURST) break
      if (now - out.sentAt < out.rto) {
        if (burst === 0) break
        continue
      }
      if (++out.tries > this.maxRetries) {
        this.fail()
        return
      }
      out.rto = Math.min(out.rto * 2, MAX_RTO)
      this.resend(out, now)
      burst++
    }
    if (this.syn === null && this.unacked.size === 0) this.stopTimer()
  }

  private checkAlive(): void {
    const now = Date.now()
    if (this.connected && now - this.lastReceived >= this.idleTimeout) {
      this.fail()
      return
    }
    if (this.connected && now - this.lastSent >= this.keepAlive) this.sendControl(PacketType.ACK)
  }

  private fail(): void {
    this.destroy(new UdpStreamError('ERR_UDP_TIMEOUT', 'the remote stopped acknowledging'))
  }
}
