// Tampering between hypercore-protocol@8 and ours: a flipped handshake or ciphertext byte, a forged
// capability and a wrong handshake payload each end our stream with a typed error.
import { describe, expect, it } from 'vitest'
import {
  HandshakeError,
  InvalidCapabilityError,
  InvalidHandshakePayloadError,
  InvalidMessageError,
  ProtocolStream,
} from '../../src/index.js'
import { NoiseXX, keyPair } from '../../src/noise.js'
import { ROLES, type Role, wireThrough } from '../helpers/connect.js'
import { KEY } from '../helpers/messages.js'
import { OriginalProtocol, type OriginalStream } from '../helpers/original.js'
import { closed } from '../helpers/wait.js'

const OPEN_FRAME_BYTES = 70 // varint(69) ‖ header ‖ 0a 20 dk ‖ 12 20 cap

/** ours ⇄ original where the original's bytes pass through `tamper` on their way to ours. */
function tampered(role: Role, tamper: (chunk: Buffer, seq: number) => Buffer) {
  const ours = new ProtocolStream(role === 'ours-initiator')
  const original = new OriginalProtocol(role !== 'ours-initiator')
  original.on('error', () => {})
  wireThrough(original, ours, original, tamper)
  return { ours, original }
}

function flip(chunk: Buffer, index: number, mask = 0x01): Buffer {
  chunk[index] ^= mask
  return chunk
}

/** Sends `payload` in every handshake message, as the original would send its NoisePayload. */
function evilPeer(initiator: boolean, payload: Buffer, ours: ProtocolStream): void {
  const noise = new NoiseXX(initiator, keyPair())
  const frame = (m: Buffer) => Buffer.concat([Buffer.from([m.byteLength]), m])
  let pending = Buffer.alloc(0)
  ours.on('data', (chunk) => {
    pending = Buffer.concat([pending, chunk])
    while (pending.byteLength > 0 && pending.byteLength >= 1 + pending[0]) {
      const message = pending.subarray(1, 1 + pending[0])
      pending = pending.subarray(1 + pending[0])
      if (noise.result !== null) return
      noise.recv(message)
      if (noise.canSend) ours.write(frame(noise.send(payload)))
    }
  })
  if (initiator) ours.write(frame(noise.send(payload)))
}

describe('interop: tampering ends our stream with a typed error', () => {
  for (const role of ROLES) {
    it(`${role}: a flipped byte in the original's authenticated handshake message`, async () => {
      // Message 2 (we initiate) or 3 (we respond) is the first one with a MAC to break.
      const target = role === 'ours-initiator' ? 0 : 1
      const { ours, original } = tampered(role, (chunk, seq) =>
        seq === target ? flip(chunk, chunk.byteLength - 1) : chunk,
      )
      const err = await closed(ours)
      expect(err).toBeInstanceOf(HandshakeError)
      expect((err as HandshakeError).code).toBe('ERR_HANDSHAKE_FAILED')
      original.destroy()
    })

    it(`${role}: a flipped ciphertext byte in a frame's field key`, async () => {
      let done = false
      const { ours, original } = tampered(role, (chunk) => {
        if (done || chunk.byteLength !== OPEN_FRAME_BYTES) return chunk
        done = true
        return flip(chunk, 2) // 0a (field 1, bytes) -> 0b (wire type 3)
      })
      ours.open(KEY)
      original.open(KEY)
      const err = await closed(ours)
      expect(err).toBeInstanceOf(InvalidMessageError)
      expect((err as InvalidMessageError).code).toBe('ERR_INVALID_MESSAGE')
      original.destroy()
    })

    it(`${role}: a flipped ciphertext byte inside the capability`, async () => {
      let done = false
      const { ours, original } = tampered(role, (chunk) => {
        if (done || chunk.byteLength !== OPEN_FRAME_BYTES) return chunk
        done = true
        return flip(chunk, OPEN_FRAME_BYTES - 5, 0x40)
      })
      ours.open(KEY)
      original.open(KEY)
      const err = await closed(ours)
      expect(err).toBeInstanceOf(InvalidCapabilityError)
      expect((err as InvalidCapabilityError).code).toBe('ERR_INVALID_CAPABILITY')
      original.destroy()
    })

    it(`${role}: a forged capability from a peer that does not know the key`, async () => {
      const ours = new ProtocolStream(role === 'ours-initiator')
      const original: OriginalStream = new OriginalProtocol(role !== 'ours-initiator')
      original.on('error', () => {})
      // The forger knows the discovery key (public) but not the key: it cannot compute the cap.
      original.state.capability = () => Buffer.alloc(32, 0xee)
      ours.pipe(original).pipe(ours)
      ours.open(KEY)
      original.open(KEY)
      const err = await closed(ours)
      expect(err).toBeInstanceOf(InvalidCapabilityError)
      original.destroy()
    })

    it(`${role}: a forged capability for a key we open later is reported by remoteVerified`, async () => {
      const ours = new ProtocolStream(role === 'ours-initiator', { live: true })
      const original: OriginalStream = new OriginalProtocol(role !== 'ours-initiator')
      original.state.capability = () => Buffer.alloc(32, 0xee)
      ours.pipe(original).pipe(ours)
      const seen = new Promise((resolve) => ours.once('discovery-key', resolve))
      original.open(KEY)
      await seen
      expect(ours.remoteOpened(KEY)).toBe(true)
      expect(ours.remoteVerified(KEY)).toBe(false)
      ours.destroy()
      original.destroy()
    })
  }

  const BAD_PAYLOADS: [string, Buffer][] = [
    ['undecodable', Buffer.from('ffffffff', 'hex')],
    ['missing the nonce field', Buffer.from('1201ff', 'hex')],
    ['a 16-byte nonce', Buffer.concat([Buffer.from('0a10', 'hex'), Buffer.alloc(16)])],
    ['empty', Buffer.alloc(0)],
  ]
  for (const initiator of [true, false]) {
    for (const [what, payload] of BAD_PAYLOADS) {
      it(`a ${initiator ? 'responder' : 'initiator'} whose handshake payload is ${what}`, async () => {
        const ours = new ProtocolStream(initiator)
        evilPeer(!initiator, payload, ours)
        const err = await closed(ours)
        expect(err).toBeInstanceOf(InvalidHandshakePayloadError)
        expect((err as InvalidHandshakePayloadError).code).toBe('ERR_INVALID_HANDSHAKE_PAYLOAD')
      })
    }
  }
})
