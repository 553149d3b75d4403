// The datagram framing of the swarm's UDP streams (holepunched connections). Our own format:
// hyperswarm@2 ran uTP here; we keep only its demultiplexing contract on a socket shared with the
// DHT: every packet is >= 20 bytes and its first byte has low nibble 1, so the DHT skips it, and
// its high nibble is 5..10, so it is never a uTP packet (types 0..4) either.
//
//   0      type        SYN 0x51, SYNACK 0x61, DATA 0x71, ACK 0x81, FIN 0x91, RESET 0xa1
//   1      role        1 = sent by the dialler, 2 = sent by the acceptor
//   2..5   connection  u32be, chosen at random by the dialler
//   6..9   seq         u32be packet number (DATA and FIN; 0 otherwise)
//   10..13 ack         u32be next packet number expected from the other side (cumulative)
//   14..15 window      u16be packets the sender of this packet will buffer out of order
//   16..17 length      u16be payload bytes that follow the header
//   18..19 sack        u16be bit i set: packet ack+1+i arrived (buffered out of order)
//   20..   payload     at most MAX_PAYLOAD bytes (DATA only)

export const HEADER_SIZE = 20
export const MAX_PAYLOAD = 1180

export const PacketType = {
  SYN: 0x51,
  SYNACK: 0x61,
  DATA: 0x71,
  ACK: 0x81,
  FIN: 0x91,
  RESET: 0xa1,
} as const
export type PacketTypeValue = (typeof PacketType)[keyof typeof PacketType]

export const ROLE_DIALLER = 1
export const ROLE_ACCEPTOR = 2

export interface Packet {
  type: PacketTypeValue
  role: number
  connection: number
  seq: number
  ack: number
  window: number
  /** Selective ack bitmap of the 16 packets after `ack`. */
  sack: number
  payload: Buffer
}

const TYPES = new Set<number>(Object.values(PacketType))

/** True for datagrams in our framing (cheap check before decoding). */
export function isStreamPacket(buf: Uint8Array): boolean {
  return buf.length >= HEADER_SIZE && TYPES.has(buf[0])
}

export function encodePacket(p: Packet): Buffer {
  const buf = Buffer.allocUnsafe(HEADER_SIZE + p.payload.length)
  buf[0] = p.type
  buf[1] = p.role
  buf.writeUInt32BE(p.connection >>> 0, 2)
  buf.writeUInt32BE(p.seq >>> 0, 6)
  buf.writeUInt32BE(p.ack >>> 0, 10)
  buf.writeUInt16BE(p.window, 14)
  buf.writeUInt16BE(p.payload.length, 16)
  buf.writeUInt16BE(p.sack & 0xffff, 18)
  p.payload.copy(buf, HEADER_SIZE)
  return buf
}

/** Decodes a datagram; null when it is not a well-formed packet of ours. */
export function decodePacket(buf: Buffer): Packet | null {
  if (!isStreamPacket(buf)) return null
  const role = buf[1]
  if (role !== ROLE_DIALLER && role !== ROLE_ACCEPTOR) return null
  const length = buf.readUInt16BE(16)
  if (length > MAX_PAYLOAD || buf.length !== HEADER_SIZE + length) return null
  const type = buf[0] as PacketTypeValue
  if (length > 0 && type !== PacketType.DATA) return null
  return {
    type,
    role,
    connection: buf.readUInt32BE(2),
    seq: buf.readUInt32BE(6),
    ack: buf.readUInt32BE(10),
    window: buf.readUInt16BE(14),
    sack: buf.readUInt16BE(18),
    payload: buf.subarray(HEADER_SIZE),
  }
}
