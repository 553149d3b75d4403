import { discoveryKey } from './capability.js'
import { ChannelTable } from './channel-table.js'
import type { Channel, ChannelHandlers, ChannelHost } from './channel.js'
import { verifyCapability } from './channel.js'
// ProtocolStream: the hypercore-protocol@8 replication stream (a streamx Duplex). Handshake, then
// encrypted frames multiplexing any number of feed channels plus stream-level extensions.
import { Duplex, Readable } from './commonjs.js'
import {
  InvalidArgumentError,
  InvalidCapabilityError,
  ProtocolError,
  StreamDestroyedError,
  TimeoutError,
  TooManyChannelsError,
} from './errors.js'
import { type Extension, type ExtensionHandlers, ExtensionRegistry } from './extensions.js'
import { FrameDecoder, MAX_FRAME_SIZE } from './frame-decoder.js'
import { type FrameTarget, dispatchFrame } from './frame-dispatch.js'
import { Guard } from './guard.js'
import { Handshake, type HandshakeResult } from './handshake.js'
import { IdleTimer } from './idle-timer.js'
import type { MessageCodec } from './messages/codec.js'
import { DataCodec } from './messages/data.js'
import { ExtensionCodec } from './messages/extension.js'
import { CloseCodec } from './messages/open-close.js'
import { OptionsCodec } from './messages/options-status.js'
import { type Close, type DataInput, MessageType, type Open } from './messages/types.js'
import { type KeyPair, keyPair as createKeyPair } from './noise.js'
import { Outbox } from './outbox.js'
import { StreamCipher, randomNonce } from './stream-cipher.js'
import {
  DEFAULT_HIGH_WATER_MARK,
  DEFAULT_MAX_CHANNELS,
  DEFAULT_TIMEOUT,
  type ProtocolStreamEvents,
  type ProtocolStreamOptions,
} from './stream-options.js'

/** What the stream looks at on its pipe destination (a socket, usually). */
interface PipeDestination {
  remoteAddress?: unknown
  _utp?: unknown
}

/**
 * The replication stream. Pipe it to a socket (or to another ProtocolStream): `a.pipe(b).pipe(a)`.
 * Events: 'handshake', 'discovery-key' (dk), 'remote-open' (dk), 'duplex-channel' (channel),
 * 'channel-close' (dk, key), 'extensions' (names), 'timeout', 'prefinalize', plus streamx's.
 */
export class ProtocolStream
  extends Duplex<ProtocolStreamEvents>
  implements ChannelHost, FrameTarget
{
  readonly initiator: boolean
  readonly handlers: ProtocolStreamOptions
  readonly live: boolean
  readonly encrypted: boolean
  readonly noise: boolean
  readonly publicKey: Buffer | null
  remotePublicKey: Buffer | null = null
  handshakeHash: Buffer | null = null
  bytesSent = 0
  bytesReceived = 0
  /** Hold `prefinalize.wait()` to delay the end of a non-live stream with no channels. */
  readonly prefinalize = new Guard()
  readonly extensions = new ExtensionRegistry()

  private handshake: Handshake | null = null
  private handshaking: boolean
  private splitKeys: { tx: Buffer; rx: Buffer } | null = null
  private readonly nonce: Buffer
  private rxCipher: StreamCipher | null = null
  private txCipher: StreamCipher | null = null
  private readonly decoder: FrameDecoder
  private readonly outbox: Outbox
  /** The readable side has ended: nothing more can be sent. */
  private finalized = false
  private drainWaiters: (() => void)[] = []
  private announcedExtensions = 0
  private readonly table = new ChannelTable(this)
  private readonly maxChannels: number
  private pipedTo: PipeDestination | null = null
  private timeoutTimer: IdleTimer | null = null
  private keepAliveTimer: IdleTimer | null = null

  constructor(initiator: boolean, opts: ProtocolStreamOptions = {}) {
    const highWaterMark = opts.highWaterMark ?? DEFAULT_HIGH_WATER_MARK
    super({ highWaterMark })
    if (typeof initiator !== 'boolean') {
      throw new InvalidArgumentError('Must specify initiator boolean in replication stream')
    }
    this.initiator = initiator
    this.handlers = opts
    this.live = !!opts.live
    this.encrypted = opts.encrypted !== false
    this.noise = !(opts.noise === false && opts.encrypted === false)
    this.maxChannels = opts.maxChannels ?? DEFAULT_MAX_CHANNELS
    this.nonce = opts.nonce ?? randomNonce()
    this.decoder = new FrameDecoder((channel, type, buf, start, end) => {
      if (!this.destroying) dispatchFrame(this, channel, type, buf, start, end)
    }, opts.maxFrameSize ?? MAX_FRAME_SIZE)
    this.outbox = new Outbox(
      {
        push: (buf) => this.pushBytes(buf),
        isBackpressured: () => Readable.isBackpressured(this),
        highWaterMark,
      },
      this.noise,
    )

    this.handshaking = this.noise
    if (this.noise) {
      const pair = opts.keyPair ?? createKeyPair()
      if (pair.publicKey?.byteLength !== 32 || pair.secretKey?.byteLength !== 32) {
        throw new InvalidArgumentError(
          'keyPair must be a Curve25519 pair: 32-byte publicKey and 32-byte secretKey',
        )
      }
      this.publicKey = pair.publicKey
      this.handshake = new Handshake(
        {
          initiator,
          keyPair: pair,
          nonce: this.nonce,
          ephemeralKeyPair: opts.ephemeralKeyPair,
          onauthenticate: opts.onauthenticate,
          send: (message) => this.pushBytes(message),
        },
        (err, result, rest) => this.onhandshake(err, result, rest),
      )
      // As the original: the initiator speaks first, on the next tick.
      process.nextTick(() => {
        if (!this.destroying && this.handshake !== null) this.handshake.start()
      })
    } else {
      this.publicKey = null
    }

    this.once('finish', () => this.finalize())
    this.on('piping', (dest) => {
      this.pipedTo = dest as PipeDestination
    })

    const timeout = opts.timeout === false ? 0 : (opts.timeout ?? DEFAULT_TIMEOUT)
    if (timeout) {
      this.setTimeout(timeout, () => this.destroy(new TimeoutError(timeout)))
      const keepAlive = opts.keepAlive === undefined ? Math.ceil(timeout / 2) : opts.keepAlive
      this.setKeepAlive(keepAlive || 0)
    } else if (opts.keepAlive) {
      this.setKeepAlive(opts.keepAlive)
    }
  }

  /** A Curve25519 key pair for `keyPair` (from `seed` when given), as the original's. */
  static keyPair(seed?: Uint8Array): KeyPair {
    return createKeyPair(seed)
  }

  static isProtocolStream(s: unknown): s is ProtocolStream {
    return s instanceof ProtocolStream
  }

  /**
   * The idle timeout (`{ ms }`), or null when disabled. hypercore@9 reads `timeout.ms` to time
   * out its requests with the stream's own timeout.
   */
  get timeout(): { readonly ms: number } | null {
    return this.timeoutTimer
  }

  /** The address of the socket this stream is piped to (`remoteAddress` of the destination). */
  get remoteAddress(): string | null {
    const to = this.pipedTo
    if (to === null || to instanceof ProtocolStream) return null
    return typeof to.remoteAddress === 'string' ? to.remoteAddress : null
  }

  /** 'utp', 'tcp' or 'unknown' for the piped-to transport, as the original; null when unpiped. */
  get remoteType(): 'utp' | 'tcp' | 'unknown' | null {
    const to = this.pipedTo
    if (to === null) return null
    if (to._utp) return 'utp'
    if (to.remoteAddress) return 'tcp'
    return 'unknown'
  }

  /** Number of channels known on this stream (opened by either side). */
  get channelCount(): number {
    return this.table.size
  }

  get channels(): IterableIterator<Channel> {
    return this.table.values()
  }

  /** Opens (or returns) the channel for `key`; `handlers` receive what arrives on it. */
  open(key: Uint8Array, handlers?: ChannelHandlers): Channel {
    if (!(key instanceof Uint8Array)) throw new InvalidArgumentError('open(key): key must be bytes')
    const feedKey = Buffer.from(key)
    const dk = discoveryKey(feedKey)
    const ch = this.table.getOrCreate(dk)
    if (ch.key === null) {
      ch.key = feedKey
      this.table.attachLocal(ch)
      this.outbox.send(ch.localId, MessageType.Open, null, { key: feedKey, discoveryKey: dk })
    }
    if (handlers) ch.handlers = handlers
    if (ch.remoteId > -1) this.emit('duplex-channel', ch)
    return ch
  }

  /** Closes the channel for `discoveryKey`, or refuses it with `Close { discoveryKey }`. */
  close(dk: Uint8Array): void {
    const ch = this.table.get(dk)
    if (ch && ch.localId > -1) {
      ch.close()
      return
    }
    // Refusing a channel we never opened consumes a fresh local id, as the original.
    this.outbox.send(this.table.allocateLocalId(), MessageType.Close, CloseCodec, {
      discoveryKey: Buffer.from(dk),
    })
  }

  opened(key: Uint8Array): boolean {
    const ch = this.table.get(discoveryKey(key))
    return !!ch && ch.localId > -1
  }

  remoteOpened(key: Uint8Array): boolean {
    const ch = this.table.get(discoveryKey(key))
    return !!ch && ch.remoteId > -1
  }

  /** Whether the remote's Open for `key` carried a valid capability. */
  remoteVerified(key: Uint8Array): boolean {
    const ch = this.table.get(discoveryKey(key))
    return !!ch && verifyCapability(this, Buffer.from(key), ch.remoteCapability)
  }

  /** Registers a stream-level extension (frames on channel 0). */
  registerExtension<T = Buffer>(name: string, handlers: ExtensionHandlers<T> = {}): Extension<T> {
    return this.extensions.add<T>(name, handlers, (ext, payload) => {
      if (this.announcedExtensions !== this.extensions.changes) {
        this.announcedExtensions = this.extensions.changes
        this.outbox.send(0, MessageType.Options, OptionsCodec, {
          extensions: this.extensions.names(),
        })
      }
      return this.outbox.send(0, MessageType.Extension, ExtensionCodec, {
        id: ext.id,
        message: payload,
      })
    })
  }

  /** Sends a keep-alive now (skipped during the handshake or while sends are queued). */
  ping(): boolean {
    if (this.destroying || this.finalized) return false
    return this.outbox.keepAlive()
  }

  /** Keep-alive interval in ms (0 disables). */
  setKeepAlive(ms: number): void {
    if (this.keepAliveTimer) this.keepAliveTimer.destroy()
    this.keepAliveTimer = ms ? new IdleTimer(ms, () => this.ping()) : null
  }

  /** Idle timeout in ms (0 disables); `ontimeout` runs once on the first 'timeout'. */
  setTimeout(ms: number, ontimeout?: () => void): void {
    if (this.timeoutTimer) this.timeoutTimer.destroy()
    this.timeoutTimer = null
    if (!ms) return
    this.timeoutTimer = new IdleTimer(ms, () => this.emit('timeout'))
    if (ontimeout) this.once('timeout', ontimeout)
  }

  /** Whether the outgoing buffer is over its highWaterMark (senders should await `drained()`). */
  get backpressured(): boolean {
    return this.outbox.backpressured
  }

  /** Resolves once the outgoing buffer is below its highWaterMark (or the stream is gone). */
  drained(): Promise<void> {
    if (!this.outbox.backpressured || this.destroying) return Promise.resolve()
    return new Promise((resolve) => this.drainWaiters.push(resolve))
  }

  /** Ends the readable side (after flushing queued frames), as the original's finalize. */
  finalize(): void {
    if (this.finalized) return
    this.finalized = true
    this.outbox.end()
    this.push(null)
  }

  override _write(data: unknown, cb: (err: Error | null) => void): void {
    const chunk = toBuffer(data)
    if (this.timeoutTimer !== null) this.timeoutTimer.refresh()
    this.bytesReceived += chunk.byteLength
    if (this.handshaking && this.handshake !== null) {
      if (!this.handshake.recv(chunk)) {
        // An async onauthenticate runs: hold further input until it settles.
        this.handshake.onresume = () => cb(null)
        return
      }
      cb(null)
      return
    }
    this.recvTransport(chunk)
    cb(null)
  }

  override _read(cb: (err: Error | null) => void): void {
    this.releaseDrainWaiters()
    cb(null)
  }

  override _predestroy(): void {
    this.outbox.close()
    if (this.timeoutTimer !== null) this.timeoutTimer.destroy()
    if (this.keepAliveTimer !== null) this.keepAliveTimer.destroy()
    this.timeoutTimer = null
    this.keepAliveTimer = null
    this.prefinalize.destroy()
    this.releaseDrainWaiters()
  }

  override _destroy(cb: (err: Error | null) => void): void {
    this._predestroy()
    if (this.handshake !== null) this.handshake.destroy()
    this.handshake = null
    this.decoder.destroy()
    this.rxCipher?.destroy()
    this.txCipher?.destroy()
    this.rxCipher = null
    this.txCipher = null
    this.outbox.close()
    const channels = this.table.clear()
    for (const ch of channels) {
      const wasOpen = ch.localId > -1
      ch.localId = -1
      ch.remoteId = -1
      if (wasOpen) this.notifyClose(ch)
      this.handlers.onchannelclose?.(ch.discoveryKey, ch.key)
      this.emit('channel-close', ch.discoveryKey, ch.key)
    }
    cb(null)
  }

  /** @internal */
  _split(): { tx: Buffer; rx: Buffer } | null {
    return this.splitKeys
  }

  /** @internal */
  _sendMessage<I>(
    channel: number,
    type: number,
    codec: MessageCodec<I, unknown>,
    message: I,
  ): boolean {
    return this.outbox.send(channel, type, codec, message)
  }

  /** @internal */
  _sendData(channel: number, message: DataInput): boolean {
    return this.outbox.send(channel, MessageType.Data, DataCodec, message)
  }

  /** @internal Closes `ch` from this side: onclose, then Close on its old id, then maybe end. */
  _closeLocal(ch: Channel): void {
    const localId = this.table.detachLocal(ch)
    if (localId === -1) return
    this.notifyClose(ch)
    this.table.delete(ch)
    this.outbox.send(localId, MessageType.Close, CloseCodec, {})
    this.maybeFinalize()
  }

  private pushBytes(buf: Buffer): boolean {
    if (this.keepAliveTimer !== null) this.keepAliveTimer.refresh()
    this.bytesSent += buf.byteLength
    return this.push(buf)
  }

  private releaseDrainWaiters(): void {
    if (this.drainWaiters.length === 0) return
    const waiters = this.drainWaiters
    this.drainWaiters = []
    for (const resolve of waiters) resolve()
  }

  private onhandshake(
    err: Error | null,
    result: HandshakeResult | null,
    rest: Buffer | null,
  ): void {
    if (err !== null || result === null) {
      this.destroy(err ?? new StreamDestroyedError('Handshake ended without a result'))
      return
    }
    this.handshake = null
    this.handshaking = false
    this.remotePublicKey = result.remotePublicKey
    this.handshakeHash = result.handshakeHash
    this.splitKeys = { tx: result.tx, rx: result.rx }
    if (this.encrypted) {
      this.rxCipher = new StreamCipher(result.remoteNonce, result.rx)
      this.txCipher = new StreamCipher(this.nonce, result.tx)
    }
    this.handlers.onhandshake?.()
    this.emit('handshake')
    if (this.destroying) return
    if (rest !== null && rest.byteLength > 0) this.recvTransport(rest)
    this.outbox.release(this.splitKeys, this.txCipher)
  }

  private recvTransport(chunk: Buffer): void {
    if (this.rxCipher !== null) this.rxCipher.update(chunk, chunk)
    try {
      this.decoder.push(chunk)
    } catch (err) {
      this.destroy(asError(err))
    }
  }

  /** @internal FrameTarget */
  _channelByRemoteId(remoteId: number): Channel | undefined {
    return this.table.byRemote(remoteId)
  }

  /** @internal FrameTarget: the remote opened a channel. */
  _onopen(remoteId: number, message: Open): void {
    const known = this.table.get(message.discoveryKey)
    if (known === undefined && this.table.size >= this.maxChannels) {
      this.destroy(new TooManyChannelsError(this.maxChannels))
      return
    }
    const ch = known ?? this.table.getOrCreate(Buffer.from(message.discoveryKey))
    ch.remoteCapability = message.capability === null ? null : Buffer.from(message.capability)
    this.table.attachRemote(ch, remoteId)
    if (ch.localId === -1) {
      this.handlers.ondiscoverykey?.(ch.discoveryKey)
      this.emit('discovery-key', ch.discoveryKey)
    } else {
      if (this.noise && !ch.remoteVerified) {
        // Leaks that we know the key, but we opened it first, which already says as much.
        this.destroy(new InvalidCapabilityError(ch.discoveryKey))
        return
      }
      this.emit('duplex-channel', ch)
    }
    if (this.destroying) return
    ch.handlers.onopen?.()
    ch.emit('open')
    this.handlers.onremoteopen?.(ch.discoveryKey)
    this.emit('remote-open', ch.discoveryKey)
  }

  /** @internal FrameTarget: the remote closed its channel (or refused ours by discovery key). */
  _onclose(remoteId: number, message: Close): void {
    let ch = this.table.detachRemote(remoteId)
    if (ch === undefined && message.discoveryKey !== null) ch = this.table.get(message.discoveryKey)
    if (ch === undefined) return
    const localId = this.table.detachLocal(ch)
    if (localId !== -1) {
      // Close ours too, as the original answers a Close.
      this.outbox.send(localId, MessageType.Close, CloseCodec, {})
      this.notifyClose(ch)
    }
    if (ch.remoteId === remoteId) ch.remoteId = -1
    this.handlers.onchannelclose?.(ch.discoveryKey, ch.key)
    this.emit('channel-close', ch.discoveryKey, ch.key)
    this.table.delete(ch)
    this.maybeFinalize()
  }

  /** @internal FrameTarget */
  _onstreamoptions(names: string[]): void {
    this.extensions.updateRemote(names)
    this.handlers.onextensions?.(names)
    this.emit('extensions', names)
  }

  /** @internal FrameTarget */
  _onstreamextension(id: number, message: Buffer): void {
    this.extensions.receive(id, message, this)
  }

  private notifyClose(ch: Channel): void {
    ch.handlers.onclose?.()
    ch.emit('close')
  }

  /** A non-live stream ends once it has no channels left (and nobody holds prefinalize). */
  private maybeFinalize(): void {
    this.emit('prefinalize')
    this.prefinalize.ready(() => {
      if (this.destroying) return
      if (this.table.size > 0) return
      if (this.live) return
      this.finalize()
    })
  }
}

function toBuffer(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  if (typeof data === 'string') return Buffer.from(data)
  throw new InvalidArgumentError('ProtocolStream only accepts bytes')
}

function asError(err: unknown): Error {
  if (err instanceof Error) return err
  return new ProtocolError('ERR_UNKNOWN', String(err))
}
