// UDP streams on a datagram socket shared with the DHT: dials (after a holepunch opened the NATs)
// and accepts streams, demultiplexing by (address, connection id, role); DHT datagrams pass by.
import { randomInt } from 'node:crypto'
import type dgram from 'node:dgram'
import { EventEmitter } from 'node:events'
import { UdpStreamError } from './errors.js'
import type { PeerAddress } from './peer.js'
import {
  PacketType,
  ROLE_ACCEPTOR,
  ROLE_DIALLER,
  decodePacket,
  encodePacket,
  isStreamPacket,
} from './udp-packet.js'
import { UdpStream, type UdpStreamOptions } from './udp-stream.js'

export interface UdpTransportOptions {
  /** Streams open at once (dialled + accepted); SYNs beyond are ignored. Default 512. */
  maxConnections?: number
  /** Stream tuning (window, rto, maxRetries). */
  stream?: Pick<UdpStreamOptions, 'window' | 'rto' | 'maxRetries' | 'keepAlive' | 'idleTimeout'>
}

export const UDP_TRANSPORT_DEFAULTS = { maxConnections: 512 } as const

/** Events: 'connection' (UdpStream) for every accepted stream. */
export class UdpStreamTransport extends EventEmitter {
  readonly socket: dgram.Socket
  readonly stats = { malformed: 0, resets: 0, refused: 0 }
  private readonly streams = new Map<string, UdpStream>()
  private readonly maxConnections: number
  private readonly streamOptions: UdpTransportOptions['stream']
  private readonly onMessage: (buf: Buffer, rinfo: dgram.RemoteInfo) => void
  private closed = false

  constructor(socket: dgram.Socket, opts: UdpTransportOptions = {}) {
    super()
    this.socket = socket
    this.maxConnections = opts.maxConnections ?? UDP_TRANSPORT_DEFAULTS.maxConnections
    this.streamOptions = opts.stream
    this.onMessage = (buf, rinfo) => this.receive(buf, { host: rinfo.address, port: rinfo.port })
    socket.on('message', this.onMessage)
  }

  get size(): number {
    return this.streams.size
  }

  /** Dials `peer`; resolves once the remote answered, rejects with ERR_UDP_TIMEOUT. */
  connect(peer: PeerAddress): Promise<UdpStream> {
    if (this.closed) {
      return Promise.reject(new UdpStreamError('ERR_UDP_CLOSED', 'UDP transport is closed'))
    }
    const connection = randomInt(0, 2 ** 32 - 1)
    const stream = this.track(peer, connection, ROLE_DIALLER)
    return new Promise<UdpStream>((resolve, reject) => {
      const onConnect = () => {
        stream.removeListener('close', onClose)
        stream.removeListener('error', onError)
        resolve(stream)
      }
      let failure: Error | null = null
      const onError = (err: Error) => {
        failure = err
      }
      const onClose = () => {
        stream.removeListener('connect', onConnect)
        reject(failure ?? new UdpStreamError('ERR_UDP_CLOSED', 'stream closed while connecting'))
      }
      stream.once('connect', onConnect)
      stream.once('error', onError)
      stream.once('close', onClose)
      stream.open()
    })
  }

  /** Destroys every stream and stops listening (the socket itself stays open). */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.socket.removeListener('message', this.onMessage)
    const closing = [...this.streams.values()].map(
      (s) => new Promise<void>((resolve) => (s.destroyed ? resolve() : s.once('close', resolve))),
    )
    for (const s of this.streams.values()) s.destroy()
    await Promise.all(closing)
    this.streams.clear()
  }

  private track(remote: PeerAddress, connection: number, role: number): UdpStream {
    const key = streamKey(remote, connection, role)
    const stream = new UdpStream({
      ...this.streamOptions,
      send: (datagram) => this.send(datagram, remote),
      remote,
      connection,
      role,
    })
    this.streams.set(key, stream)
    stream.once('close', () => {
      if (this.streams.get(key) === stream) this.streams.delete(key)
    })
    return stream
  }

  private send(datagram: Buffer, to: PeerAddress): void {
    if (this.closed && datagram[0] !== PacketType.RESET) return
    try {
      this.socket.send(datagram, to.port, to.host)
    } catch {
      // The socket closed under us; the stream's retries will time out.
    }
  }

  private receive(buf: Buffer, from: PeerAddress): void {
    if (!isStreamPacket(buf)) return
    const p = decodePacket(buf)
    if (p === null) {
      this.stats.malformed++
      return
    }
    // A packet sent by a dialler belongs to a stream we accepted, and the reverse.
    const ourRole = p.role === ROLE_DIALLER ? ROLE_ACCEPTOR : ROLE_DIALLER
    const existing = this.streams.get(streamKey(from, p.connection, ourRole))
    if (existing !== undefined) {
      existing.receive(p)
      return
    }
    if (p.type === PacketType.SYN && p.role === ROLE_DIALLER) {
      if (this.streams.size >= this.maxConnections) {
        this.stats.refused++
        return
      }
      const stream = this.track(from, p.connection, ROLE_ACCEPTOR)
      stream.acceptSyn()
      this.emit('connection', stream)
      return
    }
    if (p.type === PacketType.RESET) return
    // Unknown connection: tell the sender to stop (never answer a reset with a reset).
    this.stats.resets++
    this.send(
      encodePacket({
        type: PacketType.RESET,
        role: ourRole,
        connection: p.connection,
        seq: 0,
        ack: 0,
        window: 0,
        sack: 0,
        payload: Buffer.alloc(0),
      }),
      from,
    )
  }
}

function streamKey(remote: PeerAddress, connection: number, role: number): string {
  return `${remote.host}:${remote.port}/${connection}/${role}`
}
