// One sample of every channel message, with the decoded form the receiver must see.
import { deferred } from './wait.js'
export const KEY = Buffer.alloc(32, 7)

export interface Sample {
  method:
    | 'options'
    | 'status'
    | 'have'
    | 'unhave'
    | 'want'
    | 'unwant'
    | 'request'
    | 'cancel'
    | 'data'
  handler: string
  sent: Record<string, unknown>
  received: Record<string, unknown>
}

export const SAMPLES: Sample[] = [
  {
    method: 'options',
    handler: 'onoptions',
    sent: { extensions: ['a', 'b'], ack: true },
    received: { extensions: ['a', 'b'], ack: true },
  },
  {
    method: 'status',
    handler: 'onstatus',
    sent: { uploading: true, downloading: false },
    received: { uploading: true, downloading: false },
  },
  {
    method: 'have',
    handler: 'onhave',
    sent: { start: 0, length: 1048576, bitfield: Buffer.from([2, 0xfc]) },
    received: { start: 0, length: 1048576, bitfield: Buffer.from([2, 0xfc]), ack: false },
  },
  {
    method: 'unhave',
    handler: 'onunhave',
    sent: { start: 4 },
    received: { start: 4, length: 1 },
  },
  {
    method: 'want',
    handler: 'onwant',
    sent: { start: 0, length: 1048576 },
    received: { start: 0, length: 1048576 },
  },
  {
    method: 'unwant',
    handler: 'onunwant',
    sent: { start: 8192, length: 8192 },
    received: { start: 8192, length: 8192 },
  },
  {
    method: 'request',
    handler: 'onrequest',
    sent: { index: 5, bytes: 0, hash: false, nodes: 0 },
    received: { index: 5, bytes: 0, hash: false, nodes: 0 },
  },
  {
    method: 'cancel',
    handler: 'oncancel',
    sent: { index: 9, bytes: 100, hash: true },
    received: { index: 9, bytes: 100, hash: true },
  },
  {
    method: 'data',
    handler: 'ondata',
    sent: {
      index: 4,
      value: Buffer.from('hello world'),
      nodes: [
        { index: 8, hash: Buffer.alloc(32, 8), size: 20 },
        { index: 10, hash: Buffer.alloc(32, 10), size: 11 },
      ],
      signature: Buffer.alloc(64, 0x55),
    },
    received: {
      index: 4,
      value: Buffer.from('hello world'),
      nodes: [
        { index: 8, hash: Buffer.alloc(32, 8), size: 20 },
        { index: 10, hash: Buffer.alloc(32, 10), size: 11 },
      ],
      signature: Buffer.alloc(64, 0x55),
    },
  },
  {
    method: 'data',
    handler: 'ondata',
    sent: { index: 7, value: Buffer.alloc(0) },
    received: { index: 7, value: Buffer.alloc(0), nodes: [], signature: null },
  },
  {
    method: 'data',
    handler: 'ondata',
    sent: { index: 7, value: Buffer.alloc(100000, 0xab) },
    received: { index: 7, value: Buffer.alloc(100000, 0xab), nodes: [], signature: null },
  },
]

/** Plain-object copy with bytes as hex strings (compared by content, decoded views detached). */
export function plain(m: unknown): unknown {
  if (m instanceof Uint8Array) return `hex:${Buffer.from(m).toString('hex')}`
  if (Array.isArray(m)) return m.map(plain)
  if (m !== null && typeof m === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(m)) out[k] = plain(v)
    return out
  }
  return m
}

/** Channel handlers that record every sample message type and resolve `done` once all arrived. */
export function recordingHandlers() {
  const received: { handler: string; message: unknown }[] = []
  const done = deferred<void>(5000, 'all messages')
  const handlers: Record<string, (m: unknown) => void> = {}
  for (const s of SAMPLES) {
    handlers[s.handler] = (m) => {
      received.push({ handler: s.handler, message: plain(m) })
      if (received.length === SAMPLES.length) done.resolve()
    }
  }
  return { handlers, received, done }
}
