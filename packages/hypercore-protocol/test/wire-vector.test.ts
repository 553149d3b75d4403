// Replays the captured hypercore-protocol@8 sessions (/work/shared/spec/vectors/hypercore-wire.json)
// byte for byte: same keys, ephemerals and nonces in, the same handshake and ciphertext out.
import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  type Channel,
  ProtocolStream,
  capability,
  discoveryKey,
  keyPair,
  remoteCapability,
} from '../src/index.js'

const VECTOR_PATH = `${process.env.HYPERSTACK_SHARED}/spec/vectors/hypercore-wire.json`

interface Side {
  seed?: string
  publicKey: string
  secretKey: string
}
interface Session {
  name: string
  noiseStaticKeyPairs: { A: Side; B: Side }
  ephemeralKeyPairs: { A: Side; B: Side }
  payloadNonces: { A: string; B: string }
  handshake: { from: string; lengthPrefixedHex: string }[]
  handshakeHash: string
  split: { A: { tx: string; rx: string }; B: { tx: string; rx: string } }
  capabilities: { key: string; A: string; B: string }
  chunks: { seq: number; from: 'A' | 'B'; hex: string }[]
  transcript: {
    seq: number
    from: 'A' | 'B'
    channel: number
    type: number
    name: string
    fields: Record<string, unknown>
    plainHex: string
  }[]
}
interface Vector {
  feedKeyPair: { publicKey: string; discoveryKey: string }
  sessions: Session[]
}

const hex = (s: string): Buffer => Buffer.from(s, 'hex')
const haveVector = existsSync(VECTOR_PATH)
if (!haveVector) console.log(`wire-vector: skipped, ${VECTOR_PATH} is missing`)
const vector: Vector | null = haveVector ? JSON.parse(readFileSync(VECTOR_PATH, 'utf-8')) : null

function pairOf(side: Side) {
  return { publicKey: hex(side.publicKey), secretKey: hex(side.secretKey) }
}

/** Our stream playing one side of a session, with that side's keys, ephemeral and nonce. */
function streamAs(session: Session, side: 'A' | 'B'): { stream: ProtocolStream; out: Buffer[] } {
  const stream = new ProtocolStream(side === 'A', {
    keyPair: pairOf(session.noiseStaticKeyPairs[side]),
    ephemeralKeyPair: pairOf(session.ephemeralKeyPairs[side]),
    nonce: hex(session.payloadNonces[side]),
    timeout: false,
    live: true,
  })
  const out: Buffer[] = []
  stream.on('data', (chunk) => {
    out.push(Buffer.from(chunk))
  })
  return { stream, out }
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve))

describe.runIf(haveVector)('hypercore-wire vector', () => {
  const v = vector as Vector
  const feedKey = hex(v?.feedKeyPair.publicKey ?? '')

  it('derives static key pairs from seeds as crypto_kx_seed_keypair', () => {
    for (const session of v.sessions) {
      for (const side of ['A', 'B'] as const) {
        const s = session.noiseStaticKeyPairs[side]
        const pair = keyPair(hex(s.seed!))
        expect(pair.publicKey.toString('hex')).toBe(s.publicKey)
        expect(pair.secretKey.toString('hex')).toBe(s.secretKey)
      }
    }
  })

  it('computes the discovery key and both capabilities', () => {
    expect(discoveryKey(feedKey).toString('hex')).toBe(v.feedKeyPair.discoveryKey)
    for (const session of v.sessions) {
      const { A, B } = session.split
      expect(capability(feedKey, hex(A.tx), hex(A.rx)).toString('hex')).toBe(session.capabilities.A)
      expect(capability(feedKey, hex(B.tx), hex(B.rx)).toString('hex')).toBe(session.capabilities.B)
      expect(remoteCapability(feedKey, hex(A.tx), hex(A.rx)).toString('hex')).toBe(
        session.capabilities.B,
      )
    }
  })

  for (const session of vector?.sessions ?? []) {
    it(`${session.name}: as initiator, writes handshake messages 1 and 3 and the first Open byte for byte`, async () => {
      const { stream, out } = streamAs(session, 'A')
      await tick()
      expect(Buffer.concat(out).toString('hex')).toBe(session.handshake[0].lengthPrefixedHex)
      out.length = 0
      stream.write(hex(session.chunks[1].hex))
      await tick()
      expect(out[0].toString('hex')).toBe(session.handshake[2].lengthPrefixedHex)
      expect(stream.handshakeHash?.toString('hex')).toBe(session.handshakeHash)
      expect(stream.remotePublicKey?.toString('hex')).toBe(session.noiseStaticKeyPairs.B.publicKey)
      expect(stream._split()?.tx.toString('hex')).toBe(session.split.A.tx)
      out.length = 0
      stream.open(feedKey)
      await tick()
      const firstA = session.chunks.find((c) => c.seq > 2 && c.from === 'A')!
      expect(Buffer.concat(out).toString('hex')).toBe(firstA.hex)
      stream.destroy()
    })

    it(`${session.name}: as responder, writes handshake message 2 and decodes every frame A sent`, async () => {
      const { stream, out } = streamAs(session, 'B')
      const received: { channel: number; name: string; fields: Record<string, unknown> }[] = []
      let channel: Channel | null = null
      const record = (name: string) => (m: object) => {
        received.push({ channel: channel?.remoteId ?? -1, name, fields: { ...m } })
      }
      stream.on('discovery-key', () => {
        channel = stream.open(feedKey, {
          onoptions: record('Options'),
          onstatus: record('Status'),
          onhave: record('Have'),
          onunhave: record('Unhave'),
          onwant: record('Want'),
          onunwant: record('Unwant'),
          onrequest: record('Request'),
          oncancel: record('Cancel'),
          ondata: record('Data'),
          onextension: (id: number, message: Buffer) =>
            received.push({ channel: 1, name: 'Extension', fields: { id, message } }),
        })
      })
      stream.write(hex(session.chunks[0].hex))
      await tick()
      expect(out[0].toString('hex')).toBe(session.handshake[1].lengthPrefixedHex)
      for (const chunk of session.chunks.filter((c) => c.seq >= 2 && c.from === 'A')) {
        stream.write(hex(chunk.hex))
      }
      await tick()
      expect(stream._split()?.rx.toString('hex')).toBe(session.split.B.rx)
      const expected = session.transcript.filter(
        (t) => t.from === 'A' && t.type !== 0 && t.type !== 10 && t.channel === 1,
      )
      expect(received.map((r) => r.name)).toEqual(expected.map((t) => t.name))
      // Field-by-field, in the vector's hex-for-bytes convention.
      for (let i = 0; i < expected.length; i++) {
        const got = received[i].fields
        for (const [field, value] of Object.entries(expected[i].fields)) {
          const actual = got[field]
          if (Buffer.isBuffer(actual)) expect(actual.toString('hex')).toBe(value)
          else if (field === 'nodes' && Array.isArray(actual)) {
            expect(
              actual.map((n: { index: number; hash: Buffer; size: number }) => ({
                index: n.index,
                hash: n.hash.toString('hex'),
                size: n.size,
              })),
            ).toEqual(value)
          } else expect(actual).toEqual(value)
        }
      }
      stream.destroy()
    })
  }
})
