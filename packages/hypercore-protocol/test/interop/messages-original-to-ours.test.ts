// hypercore-protocol@8 → ours: every channel message type, both handshake roles, arrives with
// equal fields on our handlers.
import { describe, expect, it } from 'vitest'
import { ROLES, connect } from '../helpers/connect.js'
import { KEY, SAMPLES, plain, recordingHandlers } from '../helpers/messages.js'
import { deferred } from '../helpers/wait.js'

describe('interop: messages from hypercore-protocol@8 to ours', () => {
  for (const role of ROLES) {
    for (const encrypted of [true, false]) {
      it(`${role}, encrypted: ${encrypted}: every message type arrives with equal fields`, async () => {
        const { ours, original } = connect(role, { encrypted }, { encrypted })
        const { handlers, received, done } = recordingHandlers()
        ours.open(KEY, handlers)
        const opened = deferred<void>(5000, 'onopen')
        const ch = original.open(KEY, { onopen: () => opened.resolve() })
        await opened.promise
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

  it('noise: false with encrypted: false skips the handshake on both sides', async () => {
    const { ours, original } = connect(
      'ours-initiator',
      { noise: false, encrypted: false },
      { noise: false, encrypted: false },
    )
    const got = deferred<unknown>()
    ours.open(KEY, { onhave: (m) => got.resolve(plain(m)) })
    const ch = original.open(KEY, { onopen: () => ch.have({ start: 1, length: 2 }) })
    expect(await got.promise).toEqual({ start: 1, length: 2, bitfield: null, ack: false })
    expect(ours.remotePublicKey).toBe(null)
    ours.destroy()
    original.destroy()
  })

  for (const role of ROLES) {
    it(`${role}: a Close from the original closes ours and both non-live streams end`, async () => {
      const { ours, original } = connect(role)
      const oursClosed = deferred<void>(5000, 'ours onclose')
      ours.open(KEY, { onclose: () => oursClosed.resolve() })
      const opened = deferred<void>()
      const ch = original.open(KEY, { onopen: () => opened.resolve() })
      await opened.promise
      const ends = Promise.all([
        new Promise((resolve) => ours.once('close', () => resolve('ours'))),
        new Promise((resolve) => original.once('close', () => resolve('original'))),
      ])
      ch.close()
      await oursClosed.promise
      expect(await ends).toEqual(['ours', 'original'])
    })
  }
})
