// ours → hypercore-protocol@8: every channel message type, both handshake roles, arrives with
// equal fields on the original's handlers.
import { describe, expect, it } from 'vitest'
import { ROLES, connect } from '../helpers/connect.js'
import { KEY, SAMPLES, plain, recordingHandlers } from '../helpers/messages.js'
import { deferred } from '../helpers/wait.js'

describe('interop: messages from ours to hypercore-protocol@8', () => {
  for (const role of ROLES) {
    for (const encrypted of [true, false]) {
      it(`${role}, encrypted: ${encrypted}: every message type arrives with equal fields`, async () => {
        const { ours, original } = connect(role, { encrypted }, { encrypted })
        const { handlers, received, done } = recordingHandlers()
        original.open(KEY, handlers)
        const opened = deferred<void>(5000, 'onopen')
        const ch = ours.open(KEY, { onopen: () => opened.resolve() })
        await opened.promise
        expect(ours.remoteVerified(KEY)).toBe(true)
        expect(original.remoteVerified(KEY)).toBe(true)
        expect(ours.remotePublicKey?.equals(original.publicKey)).toBe(true)
        expect(original.remotePublicKey?.equals(ours.publicKey!)).toBe(true)
        for (const s of SAMPLES) {
          const send = ch[s.method] as (m: unknown) => boolean
          send.call(ch, s.sent)
        }
        await done.promise
        expect(received).toEqual(
          SAMPLES.map((s) => ({ handler: s.handler, message: plain(s.received) })),
        )
        ours.destroy()
        original.destroy()
      })
    }
  }

  for (const role of ROLES) {
    it(`${role}: a Close from ours closes the original's channel and both non-live streams end`, async () => {
      const { ours, original } = connect(role)
      const originalClosed = deferred<void>(5000, 'original onclose')
      original.open(KEY, { onclose: () => originalClosed.resolve() })
      const opened = deferred<void>()
      const ch = ours.open(KEY, { onopen: () => opened.resolve() })
      await opened.promise
      const ends = Promise.all([
        new Promise((resolve) => ours.once('close', () => resolve('ours'))),
        new Promise((resolve) => original.once('close', () => resolve('original'))),
      ])
      ch.close()
      await originalClosed.promise
      expect(await ends).toEqual(['ours', 'original'])
    })
  }
})
