// A peer opening a key the other does not know: the other learns the discovery key and may refuse
// with Close { discoveryKey } (what hypercore does), as hypercore-protocol@8 handles it.
import { describe, expect, it } from 'vitest'
import { discoveryKey } from '../../src/index.js'
import { ROLES, connect } from '../helpers/connect.js'
import { KEY } from '../helpers/messages.js'
import { deferred } from '../helpers/wait.js'

describe('interop: opening a key the other side does not know', () => {
  for (const role of ROLES) {
    it(`${role}: ours opens, the original sees discovery-key, refuses; ours closes and ends`, async () => {
      const { ours, original } = connect(role)
      const seen = deferred<Buffer>(5000, 'original discovery-key')
      original.on('discovery-key', (dk: Buffer) => {
        seen.resolve(dk)
        original.close(dk)
      })
      const closedCh = deferred<void>(5000, 'ours onclose')
      const ch = ours.open(KEY, { onclose: () => closedCh.resolve() })
      expect((await seen.promise).equals(discoveryKey(KEY))).toBe(true)
      await closedCh.promise
      expect(ch.closed).toBe(true)
      expect(ours.opened(KEY)).toBe(false)
      const ended = new Promise((resolve) => ours.once('close', () => resolve(true)))
      expect(await ended).toBe(true)
      original.destroy()
    })

    it(`${role}: the original opens, ours sees discovery-key, refuses; the original closes`, async () => {
      const { ours, original } = connect(role)
      const seen = deferred<Buffer>(5000, 'ours ondiscoverykey')
      ours.handlers.ondiscoverykey = (dk) => {
        seen.resolve(dk)
        ours.close(dk)
      }
      const closedCh = deferred<void>(5000, 'original onclose')
      original.open(KEY, { onclose: () => closedCh.resolve() })
      expect((await seen.promise).equals(discoveryKey(KEY))).toBe(true)
      await closedCh.promise
      expect(original.opened(KEY)).toBe(false)
      ours.destroy()
      original.destroy()
    })

    it(`${role}: a remote-only channel is counted and keeps a non-live stream open, as the original`, async () => {
      const { ours, original } = connect(role)
      const seen = deferred<Buffer>(5000, 'ours discovery-key')
      ours.on('discovery-key', (dk) => seen.resolve(dk))
      original.open(KEY)
      await seen.promise
      expect(ours.channelCount).toBe(1)
      expect(ours.opened(KEY)).toBe(false)
      expect(ours.remoteOpened(KEY)).toBe(true)
      // Opening it later makes a duplex channel and verifies the remote capability.
      const duplex = deferred<void>(5000, 'duplex-channel')
      ours.on('duplex-channel', () => duplex.resolve())
      ours.open(KEY)
      await duplex.promise
      expect(ours.remoteVerified(KEY)).toBe(true)
      expect(ours.destroyed).toBe(false)
      ours.destroy()
      original.destroy()
    })
  }
})
