// IPv4 peer encodings of dht-rpc@4 and @hyperswarm/dht@4: addr6 (ip[4] ‖ port:u16be), node38
// (id[32] ‖ addr6) and the 4-byte local-peer suffix (octet3, octet4, port:u16be).

import { DecodeError, InvalidArgumentError } from './errors.js'

export interface PeerAddress {
  host: string
  port: number
}

export interface NodeAddress extends PeerAddress {
  id: Buffer
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/

/** True when `host` is a dotted quad (only those are written in `to` fields, as the original). */
export function isIPv4(host: string): boolean {
  const m = IPV4.exec(host)
  if (!m) return false
  for (let i = 1; i <= 4; i++) if (Number(m[i]) > 255) return false
  return true
}

function writeHost(buf: Buffer, offset: number, host: string): void {
  const m = IPV4.exec(host)
  if (!m) throw new InvalidArgumentError(`expected a dotted-quad IPv4 host, got "${host}"`)
  for (let i = 0; i < 4; i++) buf[offset + i] = Number(m[i + 1]) & 255
}

function readHost(buf: Uint8Array, offset: number): string {
  return `${buf[offset]}.${buf[offset + 1]}.${buf[offset + 2]}.${buf[offset + 3]}`
}

/** addr6 of one peer. */
export function encodeAddr(peer: PeerAddress): Buffer {
  const buf = Buffer.allocUnsafe(6)
  writeHost(buf, 0, peer.host)
  buf.writeUInt16BE(peer.port & 0xffff, 4)
  return buf
}

/** addr6 when the host is a dotted quad, else null (a hostname's `to` is left out). */
export function encodeAddrMaybe(peer: PeerAddress): Buffer | null {
  return isIPv4(peer.host) ? encodeAddr(peer) : null
}

/** The first addr6 entry of `buf`, or null when it is shorter than 6 bytes or has port 0. */
export function decodeAddr(buf: Uint8Array | null | undefined): PeerAddress | null {
  if (!buf || buf.length < 6) return null
  const port = (buf[4] << 8) | buf[5]
  if (port === 0) return null
  return { host: readHost(buf, 0), port }
}

/**
 * A `peers` list as @hyperswarm/dht@4 reads it: null when the length is not a multiple of 6 or
 * any entry has port 0 or host 0.0.0.0.
 */
export function decodePeerList(buf: Uint8Array | null | undefined): PeerAddress[] | null {
  if (!buf) return null
  if (buf.length % 6 !== 0) return null
  const out: PeerAddress[] = []
  for (let i = 0; i < buf.length; i += 6) {
    const host = readHost(buf, i)
    const port = (buf[i + 4] << 8) | buf[i + 5]
    if (port === 0 || host === '0.0.0.0') return null
    out.push({ host, port })
  }
  return out
}

/** `localPeers`: 4-byte suffixes completed with the first two octets of our localAddress. */
export function decodeLocalPeers(
  prefix: Uint8Array,
  buf: Uint8Array | null | undefined,
): PeerAddress[] | null {
  if (!buf) return null
  if (buf.length % 4 !== 0) return null
  const head = `${prefix[0]}.${prefix[1]}.`
  const out: PeerAddress[] = []
  for (let i = 0; i < buf.length; i += 4) {
    const port = (buf[i + 2] << 8) | buf[i + 3]
    if (port === 0) return null
    out.push({ host: `${head}${buf[i]}.${buf[i + 1]}`, port })
  }
  return out
}

/** node38 list, no count prefix. */
export function encodeNodes(nodes: readonly NodeAddress[]): Buffer {
  const buf = Buffer.allocUnsafe(nodes.length * 38)
  let offset = 0
  for (const node of nodes) {
    if (node.id.length !== 32) throw new InvalidArgumentError('node id must be 32 bytes')
    buf.set(node.id, offset)
    writeHost(buf, offset + 32, node.host)
    buf.writeUInt16BE(node.port & 0xffff, offset + 36)
    offset += 38
  }
  return buf
}

/**
 * node38 list as dht-rpc@4 reads closerNodes: floor(len / 38) entries, trailing bytes ignored;
 * an entry with port 0 makes the whole list invalid (DecodeError; the caller treats it as empty).
 */
export function decodeNodes(buf: Uint8Array | null | undefined): NodeAddress[] {
  if (!buf) return []
  const count = Math.floor(buf.length / 38)
  const out: NodeAddress[] = []
  for (let i = 0; i < count; i++) {
    const o = i * 38
    const port = (buf[o + 36] << 8) | buf[o + 37]
    if (port === 0) throw new DecodeError('closerNodes entry with port 0')
    out.push({
      id: Buffer.from(buf.subarray(o, o + 32)),
      host: readHost(buf, o + 32),
      port,
    })
  }
  return out
}

/** Parses a bootstrap entry: "host:port", ":port", a port number or {host, port}. */
export function parsePeer(entry: string | number | PeerAddress): PeerAddress {
  if (typeof entry === 'number') return { host: '127.0.0.1', port: entry }
  if (typeof entry === 'object' && entry !== null) return { host: entry.host, port: entry.port }
  if (typeof entry !== 'string') throw new InvalidArgumentError('bootstrap entry must be a string')
  const i = entry.lastIndexOf(':')
  const host = i <= 0 ? '127.0.0.1' : entry.slice(0, i)
  const port = Number.parseInt(entry.slice(i + 1), 10)
  if (!(port > 0 && port < 65536)) {
    throw new InvalidArgumentError(`bootstrap entry "${entry}" has no valid port`)
  }
  return { host, port }
}
