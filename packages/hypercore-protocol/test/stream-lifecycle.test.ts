// ProtocolStream lifecycle: keep-alives, idle timeout, back pressure, onauthenticate, hostile raw
// bytes, many channels, and sends queued before the handshake.
import { describe, expect, it } from 'vitest'
import {
  AuthenticationError,
  FrameTooLargeError,
  InvalidFrameError,
  InvalidMessageError,
  ProtocolStream,
  type ProtocolStreamOptions,
  TimeoutError,
  TooManyChannelsError,
} from '../src/index.js'
import { KEY } from './helpers/messages.js'
import { closed, deferred, once } from './helpers/wait.js'

function pair(a: ProtocolStreamOptions = {}, b: ProtocolStreamOptions = {}) {
  const initiator = new ProtocolStream(true, a)
  const responder = new ProtocolStream(false, b)
  initiator.pipe(responder).pipe(initiator)
  return { initiator, responder }
}

const CLEAR: ProtocolStreamOptions = { noise: false, encrypted: false }

describe('ProtocolStream lifecycle', () => {
  it('sends keep-alives when idle, which keep the remote from timing out', async () => {
    const { initiator, responder } = pair({ timeout: 300 }, { timeout: 300 })
    await once(initiator, 'handshake')
    let keepAlives = 0
    const three = deferred<void>(5000, 'three keep-alives')
    initiator.on('data', (chunk) => {
      if (chunk.byteLength === 1 && ++keepAlives === 3) three.resolve()
    })
    await three.promise
    // 3 keep-alives at ~150 ms each outlast the 300 ms idle timeout on both sides.
    expect(initiator.destroyed).toBe(false)
    expect(responder.destroyed).toBe(false)
    initiator.destroy()
    responder.destroy()
  })

  it('is destroyed with ETIMEDOUT when nothing arrives for `timeout` ms', async () => {
    const lonely = new ProtocolStream(true, { timeout: 100 })
    const err = await closed(lonely)
    expect(err).toBeInstanceOf(TimeoutError)
    expect((err as TimeoutError).code).toBe('ETIMEDOUT')
  })

  it('exposes the idle timeout as { ms } (default 20 s); timeout: false disables it', () => {
    const s = new ProtocolStream(true, { timeout: false })
    expect(s.timeout).toBe(null)
    s.destroy()
    const d = new ProtocolStream(true)
    expect(d.timeout?.ms).toBe(20000)
    d.destroy()
  })

  it('reports back pressure when the reader is slow, and drained() resolves once it reads', async () => {
    const s = new ProtocolStream(true, { ...CLEAR, highWaterMark: 64 * 1024 })
    const ch = s.open(KEY)
    const value = Buffer.alloc(16 * 1024, 1)
    let sent = 0
    while (ch.data({ index: sent, value }) && sent < 1000) sent++
    // Nobody reads: the writer is told to stop within about one highWaterMark of data.
    expect(sent).toBeLessThanOrEqual(5)
    expect(s.backpressured).toBe(true)
    let isDrained = false
    const drained = s.drained().then(() => {
      isDrained = true
    })
    await new Promise((resolve) => setImmediate(resolve))
    expect(isDrained).toBe(false)
    s.resume()
    await drained
    expect(isDrained).toBe(true)
    expect(s.backpressured).toBe(false)
    s.destroy()
  })

  it('onauthenticate resolving lets the handshake finish; rejecting ends it with a typed error', async () => {
    const seen = deferred<Buffer>()
    const ok = pair(
      {
        onauthenticate: async (pk) => {
          seen.resolve(pk)
        },
      },
      {},
    )
    await once(ok.initiator, 'handshake')
    expect((await seen.promise).equals(ok.responder.publicKey!)).toBe(true)
    ok.initiator.destroy()
    ok.responder.destroy()

    const refused = pair(
      {},
      {
        onauthenticate: () => Promise.reject(new Error('not you')),
      },
    )
    refused.initiator.on('error', () => {})
    const err = await closed(refused.responder)
    expect(err).toBeInstanceOf(AuthenticationError)
    expect((err as AuthenticationError).code).toBe('ERR_AUTHENTICATION_FAILED')
    refused.initiator.destroy()

    const refusedSync = pair(
      {
        onauthenticate: () => {
          throw new Error('nope')
        },
      },
      {},
    )
    refusedSync.responder.on('error', () => {})
    expect(await closed(refusedSync.initiator)).toBeInstanceOf(AuthenticationError)
    refusedSync.responder.destroy()
  })

  const HOSTILE: [string, string, new (...args: never[]) => Error][] = [
    ['an oversized frame length', 'ffffffff7f', FrameTooLargeError],
    ['an overlong varint', '808080808080808080', InvalidFrameError],
    ['a header longer than its frame', '019001', InvalidFrameError],
    ['an Open without its discovery key', '021012', InvalidMessageError],
    ['a Have with a wrong wire type', '04130a0100', InvalidMessageError],
  ]
  for (const [what, hex, ErrorClass] of HOSTILE) {
    it(`destroys the stream with a typed error on ${what}`, async () => {
      const s = new ProtocolStream(false, CLEAR)
      const ended = closed(s)
      s.write(Buffer.from(hex, 'hex'))
      const err = await ended
      expect(err).toBeInstanceOf(ErrorClass)
    })
  }

  it('destroys the stream when a remote opens more than maxChannels channels', async () => {
    const s = new ProtocolStream(false, { ...CLEAR, maxChannels: 3 })
    const ended = closed(s)
    const opens = [1, 2, 3, 4].map((i) =>
      Buffer.concat([Buffer.from([0x23, i * 16, 0x0a, 0x20]), Buffer.alloc(32, i)]),
    )
    s.write(Buffer.concat(opens))
    const err = await ended
    expect(err).toBeInstanceOf(TooManyChannelsError)
    expect((err as TooManyChannelsError).code).toBe('ERR_TOO_MANY_CHANNELS')
  })

  it('ignores frame types 11..14 and messages for unknown channels', async () => {
    const s = new ProtocolStream(false, { ...CLEAR, live: true })
    const got = deferred<unknown>()
    s.on('discovery-key', () => {})
    const ch = s.open(KEY, { onhave: (m) => got.resolve(m.start) })
    void ch
    // Open from the remote on id 1, then type 11 and 14 frames, a Have on unknown channel 5, then
    // a Have on channel 1.
    const dk = (await import('../src/index.js')).discoveryKey(KEY)
    const open = Buffer.concat([Buffer.from('23100a20', 'hex'), dk])
    s.write(Buffer.concat([open, Buffer.from('021bff021eff0353080103130809', 'hex')]))
    expect(await got.promise).toBe(9)
    expect(s.destroyed).toBe(false)
    s.destroy()
  })

  it('routes many channels by id, including multi-byte headers', async () => {
    const { initiator, responder } = pair()
    const keys = Array.from({ length: 20 }, (_, i) => Buffer.alloc(32, i + 1))
    const got = new Map<string, number>()
    const all = deferred<void>(5000, 'all haves')
    for (const key of keys) {
      responder.open(key, {
        onhave: (m) => {
          got.set(key.toString('hex'), m.start)
          if (got.size === keys.length) all.resolve()
        },
      })
    }
    keys.forEach((key, i) => {
      const ch = initiator.open(key, {
        onopen: () => {
          ch.have({ start: i })
        },
      })
    })
    await all.promise
    keys.forEach((key, i) => expect(got.get(key.toString('hex'))).toBe(i))
    initiator.destroy()
    responder.destroy()
  })

  it('completes the handshake and carries frames when every byte arrives alone', async () => {
    const a = new ProtocolStream(true)
    const b = new ProtocolStream(false)
    const trickle = (from: ProtocolStream, to: ProtocolStream) =>
      from.on('data', (chunk) => {
        for (const byte of chunk) to.write(Buffer.from([byte]))
      })
    trickle(a, b)
    trickle(b, a)
    const got = deferred<number>()
    b.open(KEY, { onhave: (m) => got.resolve(m.start) })
    const ch = a.open(KEY)
    ch.have({ start: 42 })
    expect(await got.promise).toBe(42)
    a.destroy()
    b.destroy()
  })

  it('queues sends made before the handshake and delivers them in order after it', async () => {
    const { initiator, responder } = pair()
    const starts: number[] = []
    const all = deferred<void>()
    responder.open(KEY, {
      onhave: (m) => {
        starts.push(m.start)
        if (starts.length === 5) all.resolve()
      },
    })
    const ch = initiator.open(KEY)
    for (let i = 0; i < 5; i++) expect(ch.have({ start: i })).toBe(false)
    await all.promise
    expect(starts).toEqual([0, 1, 2, 3, 4])
    initiator.destroy()
    responder.destroy()
  })

  it('prefinalize.wait() delays the end of a non-live stream until continue()', async () => {
    const { initiator, responder } = pair()
    const ca = initiator.open(KEY)
    responder.open(KEY)
    await once(ca, 'open')
    initiator.prefinalize.wait()
    const remoteClose = once(responder, 'channel-close')
    ca.close()
    await remoteClose
    expect(initiator.destroyed).toBe(false)
    const ends = Promise.all([closed(initiator), closed(responder)])
    initiator.prefinalize.continue()
    expect(await ends).toEqual([null, null])
  })
})
