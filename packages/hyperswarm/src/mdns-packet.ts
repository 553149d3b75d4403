// The DNS messages of hyperswarm@2's LAN discovery (multicast-dns@7 / dns-packet@5 as
// @hyperswarm/discovery@2 uses them): SRV queries for `<hex(topic[0..20])>.hyperswarm.local`,
// answered with SRV (port), TXT ("id=" + 32 random bytes) and, to a querier, A (its address).
// We write names uncompressed, as the original; we read compressed names too.

export const MDNS_DOMAIN = 'hyperswarm.local'
const TYPE_A = 1
const TYPE_TXT = 16
const TYPE_SRV = 33
const CLASS_IN = 1
const FLAGS_RESPONSE = 0x8400

export type MdnsAnswer =
  | { type: 'SRV'; name: string; port: number; target: string }
  | { type: 'TXT'; name: string; data: readonly Buffer[] }
  | { type: 'A'; name: string; address: string }

export interface MdnsMessage {
  response: boolean
  questions: Array<{ type: 'SRV'; name: string }>
  answers: MdnsAnswer[]
}

/** `<40 hex chars of the topic's first 20 bytes>.hyperswarm.local`. */
export function topicDomain(topic: Uint8Array): string {
  return `${Buffer.from(topic.subarray(0, 20)).toString('hex')}.${MDNS_DOMAIN}`
}

export function encodeQuery(name: string): Buffer {
  return Buffer.concat([header(0, 1, 0), encodeName(name), u16(TYPE_SRV), u16(CLASS_IN)])
}

export function encodeResponse(answers: MdnsAnswer[]): Buffer {
  const parts = [header(FLAGS_RESPONSE, 0, answers.length)]
  for (const a of answers) {
    let data: Buffer
    let type: number
    if (a.type === 'SRV') {
      type = TYPE_SRV
      data = Buffer.concat([u16(0), u16(0), u16(a.port), encodeName(a.target)])
    } else if (a.type === 'TXT') {
      type = TYPE_TXT
      data = Buffer.concat(a.data.flatMap((s) => [Buffer.from([s.length]), s]))
    } else {
      type = TYPE_A
      data = Buffer.from(a.address.split('.').map(Number))
    }
    parts.push(encodeName(a.name), u16(type), u16(CLASS_IN), u32(0), u16(data.length), data)
  }
  return Buffer.concat(parts)
}

/** Decodes a DNS message; null for anything malformed (never throws). */
export function decodeMessage(buf: Buffer): MdnsMessage | null {
  try {
    return decodeUnsafe(buf)
  } catch {
    return null
  }
}

function decodeUnsafe(buf: Buffer): MdnsMessage | null {
  if (buf.length < 12) return null
  const flags = buf.readUInt16BE(2)
  const qd = buf.readUInt16BE(4)
  const an = buf.readUInt16BE(6)
  let offset = 12
  const questions: MdnsMessage['questions'] = []
  for (let i = 0; i < qd; i++) {
    const [name, next] = decodeName(buf, offset)
    const type = buf.readUInt16BE(next)
    offset = next + 4
    if (type === TYPE_SRV) questions.push({ type: 'SRV', name })
  }
  const answers: MdnsAnswer[] = []
  for (let i = 0; i < an; i++) {
    const [name, next] = decodeName(buf, offset)
    const type = buf.readUInt16BE(next)
    const length = buf.readUInt16BE(next + 8)
    const start = next + 10
    const end = start + length
    if (end > buf.length) return null
    if (type === TYPE_SRV && length >= 7) {
      const port = buf.readUInt16BE(start + 4)
      const [target] = decodeName(buf, start + 6)
      answers.push({ type: 'SRV', name, port, target })
    } else if (type === TYPE_TXT) {
      const data: Buffer[] = []
      let p = start
      while (p < end) {
        const len = buf[p]
        if (p + 1 + len > end) return null
        data.push(Buffer.from(buf.subarray(p + 1, p + 1 + len)))
        p += 1 + len
      }
      answers.push({ type: 'TXT', name, data })
    } else if (type === TYPE_A && length === 4) {
      answers.push({ type: 'A', name, address: [...buf.subarray(start, end)].join('.') })
    }
    offset = end
  }
  return { response: (flags & 0x8000) !== 0, questions, answers }
}

function header(flags: number, questions: number, answers: number): Buffer {
  const b = Buffer.alloc(12)
  b.writeUInt16BE(flags, 2)
  b.writeUInt16BE(questions, 4)
  b.writeUInt16BE(answers, 6)
  return b
}

function encodeName(name: string): Buffer {
  const parts: Buffer[] = []
  for (const label of name.split('.')) {
    if (label.length === 0) continue
    const bytes = Buffer.from(label)
    parts.push(Buffer.from([bytes.length]), bytes)
  }
  parts.push(Buffer.from([0]))
  return Buffer.concat(parts)
}

/** Reads a possibly compressed name; returns it and the offset after it. */
function decodeName(buf: Buffer, offset: number): [string, number] {
  const labels: string[] = []
  let end = -1
  let jumps = 0
  for (;;) {
    const len = buf[offset]
    if (len === undefined) throw new RangeError('name runs past the packet')
    if (len === 0) {
      offset++
      break
    }
    if ((len & 0xc0) === 0xc0) {
      if (++jumps > 16) throw new RangeError('name pointer loop')
      if (end === -1) end = offset + 2
      offset = buf.readUInt16BE(offset) & 0x3fff
      continue
    }
    if (offset + 1 + len > buf.length) throw new RangeError('label runs past the packet')
    labels.push(buf.toString('utf8', offset + 1, offset + 1 + len))
    offset += 1 + len
  }
  return [labels.join('.'), end === -1 ? offset : end]
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2)
  b.writeUInt16BE(n)
  return b
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n)
  return b
}
