// Extensions between ours and hypercore-protocol@8: stream-level (channel 0, names announced with
// Options, ids from the sender's sorted list) and raw channel extension frames, both directions.
import { describe, expect, it } from 'vitest'
import { ROLES, connect } from '../helpers/connect.js'
import { KEY } from '../helpers/messages.js'
import { deferred } from '../helpers/wait.js'

describe('interop: extensions with hypercore-protocol@8', () => {
  for (const role of ROLES) {
    it(`${role}: a stream extension from ours reaches the original's handler by name`, async () => {
      const { ours, original } = connect(role)
      const got = deferred<unknown>(5000, 'original onmessage')
      original.registerExtension('spec-ext', {
        encoding: 'json',
        onmessage: (m: unknown) => got.resolve(m),
      })
      ours.registerExtension('another-ext', {})
      const ext = ours.registerExtension<unknown>('spec-ext', { encoding: 'json' })
      ext.send({ hi: 'from ours' })
      expect(await got.promise).toEqual({ hi: 'from ours' })
      ours.destroy()
      original.destroy()
    })

    it(`${role}: a stream extension from the original reaches ours by name`, async () => {
      const { ours, original } = connect(role)
      const got = deferred<string>(5000, 'ours onmessage')
      const names = deferred<string[]>(5000, 'onextensions')
      ours.handlers.onextensions = (n) => names.resolve(n)
      ours.registerExtension<string>('spec-ext', {
        encoding: 'utf-8',
        onmessage: (m) => got.resolve(m),
      })
      original.registerExtension('another-ext', {})
      const ext = original.registerExtension('spec-ext', { encoding: 'utf-8' })
      ext.send('hi from B')
      expect(await names.promise).toEqual(['another-ext', 'spec-ext'])
      expect(await got.promise).toBe('hi from B')
      ours.destroy()
      original.destroy()
    })

    it(`${role}: raw channel extension frames carry the sender's id both ways`, async () => {
      const { ours, original } = connect(role)
      const atOriginal = deferred<[number, string]>(5000, 'original onextension')
      const atOurs = deferred<[number, string]>(5000, 'ours onextension')
      const opened = deferred<void>()
      const theirs = original.open(KEY, {
        onextension: (id: number, buf: Buffer) => atOriginal.resolve([id, buf.toString()]),
      })
      const mine = ours.open(KEY, {
        onopen: () => opened.resolve(),
        onextension: (id, buf) => atOurs.resolve([id, buf.toString()]),
      })
      await opened.promise
      mine.extension(1, Buffer.from('hi from ours'))
      theirs.extension(7, Buffer.from('hi from original'))
      expect(await atOriginal.promise).toEqual([1, 'hi from ours'])
      expect(await atOurs.promise).toEqual([7, 'hi from original'])
      ours.destroy()
      original.destroy()
    })
  }

  it('a channel-level extension on ours announces Options and is routed by name at the original', async () => {
    const { ours, original } = connect('ours-initiator')
    const options = deferred<unknown>(5000, 'original onoptions')
    const frame = deferred<[number, string]>(5000, 'original onextension')
    original.open(KEY, {
      onoptions: (m: unknown) => options.resolve(m),
      onextension: (id: number, buf: Buffer) => frame.resolve([id, buf.toString()]),
    })
    const opened = deferred<void>()
    const ch = ours.open(KEY, { onopen: () => opened.resolve() })
    await opened.promise
    ch.registerExtension('a-ext', {})
    const ext = ch.registerExtension<string>('b-ext', { encoding: 'utf-8' })
    ext.send('payload')
    expect(await options.promise).toEqual({ extensions: ['a-ext', 'b-ext'], ack: false })
    expect(await frame.promise).toEqual([1, 'payload'])
    ours.destroy()
    original.destroy()
  })
})
