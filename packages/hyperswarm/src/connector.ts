// Dialling one peer, as @hyperswarm/network@2's connect(): TCP right away and, when the peer came
// with a DHT referrer, a holepunch through that referrer followed by a UDP stream, in parallel.
// The first transport to connect wins; the others are destroyed. One overall timeout.
import net from 'node:net'
import { ConnectFailedError, ConnectTimeoutError } from './errors.js'
import type { PeerAddress, PeerReferrer, SwarmSocket } from './peer.js'

export interface ConnectOptions {
  /** Overall ms before giving up on every transport. Default 10000 (as the original). */
  timeout?: number
  /** Try TCP. Default true. */
  tcp?: boolean
  /** Opens the NATs between us and the peer (the DHT's holepunch through `peer.referrer`). */
  holepunch?: (peer: DialTarget) => Promise<unknown>
  /** Opens a UDP stream to the peer once holepunched; resolves when it is connected. */
  connectUdp?: (peer: PeerAddress) => Promise<SwarmSocket>
}

export const CONNECT_DEFAULTS = { timeout: 10_000, tcp: true } as const

/** What the connector needs of a peer. */
export interface DialTarget extends PeerAddress {
  referrer?: PeerReferrer | null
}

export interface Connected {
  socket: SwarmSocket
  /** False when the UDP (holepunched) path won. */
  isTCP: boolean
}

/** Dials `peer`; rejects with ConnectTimeoutError or ConnectFailedError (cause: last error). */
export function connect(peer: DialTarget, opts: ConnectOptions = {}): Promise<Connected> {
  const timeout = opts.timeout ?? CONNECT_DEFAULTS.timeout
  const useTcp = opts.tcp ?? CONNECT_DEFAULTS.tcp
  const holepunch = opts.holepunch
  const connectUdp = opts.connectUdp
  const useUdp = Boolean(peer.referrer && holepunch && connectUdp)

  return new Promise<Connected>((resolve, reject) => {
    const sockets = new Set<SwarmSocket>()
    let settled = false
    let attempts = (useTcp ? 1 : 0) + (useUdp ? 1 : 0)
    let lastError: unknown = null

    const timer = setTimeout(() => {
      finish()
      reject(new ConnectTimeoutError(peer.host, peer.port, timeout))
    }, timeout)

    const finish = () => {
      settled = true
      clearTimeout(timer)
    }

    const won = (socket: SwarmSocket, isTCP: boolean) => {
      if (settled) {
        socket.destroy()
        return
      }
      finish()
      for (const other of sockets) if (other !== socket) other.destroy()
      resolve({ socket, isTCP })
    }

    const failed = (err: unknown) => {
      lastError = err
      if (--attempts > 0 || settled) return
      finish()
      reject(new ConnectFailedError(peer.host, peer.port, lastError))
    }

    if (attempts === 0) {
      finish()
      reject(new ConnectFailedError(peer.host, peer.port, null))
      return
    }

    if (useTcp) {
      const tcp = net.connect({ host: peer.host, port: peer.port })
      sockets.add(tcp)
      tcp.setNoDelay(true)
      const onError = (err: Error) => {
        tcp.destroy()
        failed(err)
      }
      tcp.once('error', onError)
      tcp.once('connect', () => {
        tcp.removeListener('error', onError)
        // Errors after the connect belong to whoever owns the socket; keep one listener so an
        // early reset before the owner attaches cannot crash the process.
        tcp.on('error', () => {})
        won(tcp, true)
      })
    }

    if (useUdp && holepunch && connectUdp) {
      holepunch(peer)
        .then(() => {
          if (settled) return null
          return connectUdp({ host: peer.host, port: peer.port })
        })
        .then(
          (socket) => {
            if (socket === null) return
            sockets.add(socket)
            won(socket, false)
          },
          (err: unknown) => failed(err),
        )
    }
  })
}
