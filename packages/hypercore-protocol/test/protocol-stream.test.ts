// ProtocolStream between two of ours: channels, every message, close/end semantics, destroy.
import { Duplex } from 'streamx'
import { describe, expect, it } from 'vitest'
import {
  type Channel,
  type ChannelHandlers,
  InvalidArgumentError,
  InvalidCapabilityError,
  MessageType,
  OpenCodec,
  ProtocolStream,
  type ProtocolStreamOptions,
  discoveryKey,
} from '../src/index.js'
import { KEY, SAMPLES, plain } from './helpers/messages.js'
import { closed, deferred, once } from './helpers/wait.js'

function pair(a: ProtocolStreamOptions = {}, b: ProtocolStreamOptions = {}) {
  const initiator = new ProtocolStream(true, a)
  const responder = new ProtocolStream(false, b)
  initiator.pipe(responder).pipe(initiator)
  return { initiator, responder }
}

/** Opens KEY on both streams and resolves once each side saw the other's Open. */
async function openBoth(
  a: ProtocolStream,
  b: ProtocolStream,
  ha: ChannelHandlers = {},
  hb: ChannelHandlers = {},
): Promise<{ ca: Channel; cb: Channel }> {
  const ca = a.open(KEY, ha)
  const cb = b.open(KEY, hb)
  await Promise.all([
    ca.remoteOpened ? null : once(ca, 'open'),
    cb.remoteOpened ? null : once(cb, 'open'),
  ])
  return { ca, cb }
}

describe('ProtocolStream', () => {
  it('handshakes and exposes both public keys', async () => {
    const { initiator, responder } = pair()
    await Promise.all([once(initiator, 'handshake'), once(responder, 'handshake')])
    expect(initiator.remotePublicKey?.equals(responder.publicKey!)).toBe(true)
    expect(responder.remotePublicKey?.equals(initiator.publicKey!)).toBe(true)
    expect(initiator.handshakeHash?.equals(responder.handshakeHash!)).toBe(true)
    initiator.destroy()
    responder.destroy()
  })

  it('uses a configured keyPair and rejects one that is not Curve25519', async () => {
    const keyPair = ProtocolStream.keyPair(Buffer.alloc(32, 3))
    const { initiator, responder } = pair({ keyPair })
    await once(responder, 'handshake')
    expect(initiator.publicKey?.equals(keyPair.publicKey)).toBe(true)
    expect(responder.remotePublicKey?.equals(keyPair.publicKey)).toBe(true)
    initiator.destroy()
    responder.destroy()
    const ed25519Like = { publicKey: Buffer.alloc(32), secretKey: Buffer.alloc(64) }
    expect(() => new ProtocolStream(true, { keyPair: ed25519Like })).toThrow(InvalidArgumentError)
    expect(() => new ProtocolStream('yes' as unknown as boolean)).toThrow(InvalidArgumentError)
  })

  for (const encrypted of [true, false]) {
    for (const dir of ['initiator→responder', 'responder→initiator'] as const) {
      it(`delivers every message type ${dir} (encrypted: ${encrypted})`, async () => {
        const { initiator, responder } = pair({ encrypted }, { encrypted })
        const [sender, receiver] =
          dir === 'initiator→responder' ? [initiator, responder] : [responder, initiator]
        const received: { handler: string; message: unknown }[] = []
        const done = deferred<void>()
        const handlers: Record<string, (m: unknown) => void> = {}
        for (const s of SAMPLES) {
          handlers[s.handler] = (m) => {
            received.push({ handler: s.handler, message: plain(m) })
            if (received.length === SAMPLES.length) done.resolve()
          }
        }
        const { ca } = await openBoth(sender, receiver, {}, handlers)
        for (const s of SAMPLES) {
          const send = ca[s.method] as (m: unknown) => boolean
          send.call(ca, s.sent)
        }
        await done.promise
        expect(received).toEqual(
          SAMPLES.map((s) => ({ handler: s.handler, message: plain(s.received) })),
        )
        initiator.destroy()
        responder.destroy()
      })
    }
  }

  it('reports the remote address of the socket it is piped to, as the original', () => {
    const s = new ProtocolStream(true, { timeout: false })
    expect(s.remoteAddress).toBe(null)
    expect(s.remoteType).toBe(null)
    const socketLike = new ProtocolStream(false, { timeout: false })
    Object.defineProperty(socketLike, 'remoteAddress', { value: '127.0.0.1' })
    s.pipe(socketLike)
    expect(s.remoteAddress).toBe(null) // piped to a protocol stream, as the original
    const plain = new (class extends Duplex {
      remoteAddress = '10.0.0.1'
    })()
    const t = new ProtocolStream(true, { timeout: false })
    t.pipe(plain)
    expect(t.remoteAddress).toBe('10.0.0.1')
    expect(t.remoteType).toBe('tcp')
    for (const x of [s, socketLike, t, plain]) x.destroy()
  })

  it('emits channel events as well as calling handlers', async () => {
    const { initiator, responder } = pair()
    const { ca, cb } = await openBoth(initiator, responder)
    const got = once<[unknown]>(cb, 'have')
    ca.have({ start: 3 })
    expect(plain((await got)[0])).toEqual({ start: 3, length: 1, bitfield: null, ack: false })
    initiator.destroy()
    responder.destroy()
  })

  it('tells the application about unknown discovery keys and lets it open them', async () => {
    const { initiator, responder } = pair()
    const seen = deferred<Buffer>()
    responder.on('discovery-key', (dk: Buffer) => {
      seen.resolve(dk)
      responder.open(KEY)
    })
    const opened = deferred<void>()
    initiator.open(KEY, { onopen: () => opened.resolve() })
    expect((await seen.promise).equals(discoveryKey(KEY))).toBe(true)
    await opened.promise
    expect(initiator.remoteVerified(KEY)).toBe(true)
    expect(responder.opened(KEY)).toBe(true)
    expect(responder.remoteOpened(KEY)).toBe(true)
    initiator.destroy()
    responder.destroy()
  })

  it('closes the remote side when a channel closes, and a non-live stream then ends', async () => {
    const { initiator, responder } = pair()
    const { ca } = await openBoth(initiator, responder)
    const remoteClosed = deferred<void>()
    responder.open(KEY).handlers.onclose = () => remoteClosed.resolve()
    const ends = Promise.all([closed(initiator), closed(responder)])
    ca.close()
    await remoteClosed.promise
    expect(await ends).toEqual([null, null])
    expect(initiator.channelCount).toBe(0)
    expect(responder.channelCount).toBe(0)
  })

  it('keeps a live stream open when its last channel closes', async () => {
    const { initiator, responder } = pair({ live: true }, { live: true })
    const { ca } = await openBoth(initiator, responder)
    const remoteClose = once(responder, 'channel-close')
    ca.close()
    await remoteClose
    expect(initiator.destroyed).toBe(false)
    expect(responder.destroyed).toBe(false)
    expect(responder.channelCount).toBe(0)
    initiator.destroy()
    responder.destroy()
  })

  it('refuses a channel with Close { discoveryKey } and the opener sees it closed', async () => {
    const { initiator, responder } = pair({ live: true }, { live: true })
    responder.on('discovery-key', (dk: Buffer) => responder.close(dk))
    const closedChannel = deferred<void>()
    initiator.open(KEY, { onclose: () => closedChannel.resolve() })
    await closedChannel.promise
    expect(initiator.opened(KEY)).toBe(false)
    initiator.destroy()
    responder.destroy()
  })

  it('destroy(err) tears every channel down and reports the error', async () => {
    const { initiator, responder } = pair()
    const { ca } = await openBoth(initiator, responder)
    const other = initiator.open(Buffer.alloc(32, 9))
    const closes: string[] = []
    ca.handlers.onclose = () => closes.push('a')
    other.handlers.onclose = () => closes.push('b')
    const channelCloses: string[] = []
    initiator.handlers.onchannelclose = (dk) => channelCloses.push(dk.toString('hex'))
    const err = new Error('boom')
    const ended = closed(initiator)
    const remoteEnded = closed(responder)
    initiator.destroy(err)
    expect(await ended).toBe(err)
    expect(closes.sort()).toEqual(['a', 'b'])
    expect(channelCloses.length).toBe(2)
    expect(initiator.channelCount).toBe(0)
    expect(ca.closed).toBe(true)
    await remoteEnded
  })

  it('round-trips stream-level extensions by name, whatever the ids', async () => {
    const { initiator, responder } = pair()
    const got = deferred<unknown>()
    initiator.registerExtension<unknown>('zz-stream', {
      encoding: 'json',
      onmessage: (m) => got.resolve(m),
    })
    responder.registerExtension('aa-other', {})
    const ext = responder.registerExtension<unknown>('zz-stream', { encoding: 'json' })
    const extensions = once<[string[]]>(initiator, 'extensions')
    ext.send({ hello: 'world' })
    expect((await extensions)[0]).toEqual(['aa-other', 'zz-stream'])
    expect(await got.promise).toEqual({ hello: 'world' })
    initiator.destroy()
    responder.destroy()
  })

  it('round-trips channel-level extensions', async () => {
    const { initiator, responder } = pair()
    const { ca, cb } = await openBoth(initiator, responder)
    const got = deferred<string>()
    cb.registerExtension('b-ext', {})
    cb.registerExtension<string>('c-ext', { encoding: 'utf-8', onmessage: (m) => got.resolve(m) })
    const ext = ca.registerExtension<string>('c-ext', { encoding: 'utf-8' })
    ext.send('hi from A')
    expect(await got.promise).toBe('hi from A')
    initiator.destroy()
    responder.destroy()
  })

  it('destroys the stream when the remote capability is forged', async () => {
    const { initiator, responder } = pair()
    await once(responder, 'handshake')
    const ends = closed(responder)
    responder.open(KEY)
    // The initiator does not know KEY; it sends an Open for KEY's discovery key with a guess.
    initiator.on('error', () => {})
    initiator._sendMessage(1, MessageType.Open, OpenCodec, {
      discoveryKey: discoveryKey(KEY),
      capability: Buffer.alloc(32, 0xee),
    })
    const err = await ends
    expect(err).toBeInstanceOf(InvalidCapabilityError)
    expect((err as InvalidCapabilityError).code).toBe('ERR_INVALID_CAPABILITY')
    initiator.destroy()
  })
})
