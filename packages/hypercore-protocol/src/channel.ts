// A channel: one feed on one stream, keyed by discovery key, with a local and a remote id.
import { EventEmitter } from 'node:events'
import { remoteCapability } from './capability.js'
import { ChannelClosedError } from './errors.js'
import { type Extension, type ExtensionHandlers, ExtensionRegistry } from './extensions.js'
import type { MessageCodec } from './messages/codec.js'
import { ExtensionCodec } from './messages/extension.js'
import { OptionsCodec, StatusCodec } from './messages/options-status.js'
import { HaveCodec, UnhaveCodec, UnwantCodec, WantCodec } from './messages/ranges.js'
import { CancelCodec, RequestCodec } from './messages/requests.js'
import {
  type Cancel,
  type CancelInput,
  type Data,
  type DataInput,
  type Have,
  type HaveInput,
  MessageType,
  type Options,
  type OptionsInput,
  type Request,
  type RequestInput,
  type Status,
  type StatusInput,
  type Unhave,
  type UnhaveInput,
  type Unwant,
  type UnwantInput,
  type Want,
  type WantInput,
} from './messages/types.js'

/**
 * Callbacks for what arrives on a channel, named as hypercore-protocol@8's handlers (hypercore's
 * Peer passes itself). They are called as methods of the handlers object.
 */
export interface ChannelHandlers {
  /** Both sides have opened the channel (and the remote's capability verified). */
  onopen?(): void
  onoptions?(message: Options): void
  onstatus?(message: Status): void
  onhave?(message: Have): void
  onunhave?(message: Unhave): void
  onwant?(message: Want): void
  onunwant?(message: Unwant): void
  onrequest?(message: Request): void
  oncancel?(message: Cancel): void
  ondata?(message: Data): void
  /** This side's end of the channel closed (locally, by the remote's Close, or by destroy). */
  onclose?(): void
  /** A raw extension frame: the SENDER's extension id and the payload. */
  onextension?(id: number, message: Buffer): void
}

/** Events a Channel emits, mirroring its handlers (without the `on` prefix). */
export interface ChannelEvents {
  open: []
  options: [message: Options]
  status: [message: Status]
  have: [message: Have]
  unhave: [message: Unhave]
  want: [message: Want]
  unwant: [message: Unwant]
  request: [message: Request]
  cancel: [message: Cancel]
  data: [message: Data]
  close: []
  extension: [id: number, message: Buffer]
}

/** What a Channel needs from its stream (implemented by ProtocolStream). */
export interface ChannelHost {
  readonly destroyed: boolean
  /** The remote's Noise static key, once the handshake is done. */
  readonly remotePublicKey: Buffer | null
  /** Where the stream is piped to, when that is a socket (hypercore@9 peers expose both). */
  readonly remoteAddress: string | null
  readonly remoteType: 'utp' | 'tcp' | 'unknown' | null
  /** Whether the outgoing buffer is over its highWaterMark (senders should await `drained()`). */
  readonly backpressured: boolean
  /** Resolves once the outgoing buffer is below its highWaterMark (or the stream is gone). */
  drained(): Promise<void>
  /** @internal */
  _sendMessage<I>(
    channel: number,
    type: number,
    codec: MessageCodec<I, unknown>,
    message: I,
  ): boolean
  /** @internal */
  _sendData(channel: number, message: DataInput): boolean
  /** @internal */
  _closeLocal(channel: Channel): void
  /** @internal */
  _split(): { tx: Buffer; rx: Buffer } | null
  destroy(err?: Error | null): void
}

/**
 * One feed's channel. Send methods return false when the outgoing buffer is over its
 * highWaterMark (or the handshake is still running): the caller should `await stream.drained()`.
 * Events mirror the handlers: 'open', 'options', 'status', 'have', 'unhave', 'want', 'unwant',
 * 'request', 'cancel', 'data', 'close', 'extension'.
 */
export class Channel extends EventEmitter<ChannelEvents> {
  /** The feed key, once this side opened the channel (null for a remote-only channel). */
  key: Buffer | null = null
  readonly discoveryKey: Buffer
  localId = -1
  remoteId = -1
  remoteCapability: Buffer | null = null
  handlers: ChannelHandlers = {}
  readonly stream: ChannelHost
  private extensions: ExtensionRegistry | null = null
  private announcedExtensions = 0

  constructor(stream: ChannelHost, discoveryKey: Buffer) {
    super()
    this.stream = stream
    this.discoveryKey = discoveryKey
  }

  get opened(): boolean {
    return this.localId > -1
  }

  get closed(): boolean {
    return this.localId === -1
  }

  get remoteOpened(): boolean {
    return this.remoteId > -1
  }

  /** Both sides opened and the remote's capability proves it knows the key. */
  get remoteVerified(): boolean {
    if (this.localId === -1 || this.remoteId === -1) return false
    return verifyCapability(this.stream, this.key, this.remoteCapability)
  }

  options(message: OptionsInput): boolean {
    return this.send(MessageType.Options, OptionsCodec, message)
  }

  status(message: StatusInput): boolean {
    return this.send(MessageType.Status, StatusCodec, message)
  }

  have(message: HaveInput): boolean {
    return this.send(MessageType.Have, HaveCodec, message)
  }

  unhave(message: UnhaveInput): boolean {
    return this.send(MessageType.Unhave, UnhaveCodec, message)
  }

  want(message: WantInput): boolean {
    return this.send(MessageType.Want, WantCodec, message)
  }

  unwant(message: UnwantInput): boolean {
    return this.send(MessageType.Unwant, UnwantCodec, message)
  }

  request(message: RequestInput): boolean {
    return this.send(MessageType.Request, RequestCodec, message)
  }

  cancel(message: CancelInput): boolean {
    return this.send(MessageType.Cancel, CancelCodec, message)
  }

  data(message: DataInput): boolean {
    if (this.localId === -1) return false
    return this.stream._sendData(this.localId, message)
  }

  /** Sends a raw extension frame with this side's extension id. */
  extension(id: number, message: Uint8Array): boolean {
    return this.send(MessageType.Extension, ExtensionCodec, { id, message })
  }

  /**
   * Registers a channel-level extension: its names are announced with `Options { extensions }`
   * before the first message after a change, and received frames are routed by the remote's
   * announced names. (hypercore@9 manages feed extensions itself with options()/extension().)
   */
  registerExtension<T = Buffer>(name: string, handlers: ExtensionHandlers<T> = {}): Extension<T> {
    if (this.extensions === null) this.extensions = new ExtensionRegistry()
    const registry = this.extensions
    return registry.add<T>(name, handlers, (ext, payload) => {
      if (this.announcedExtensions !== registry.changes) {
        this.announcedExtensions = registry.changes
        this.options({ extensions: registry.names() })
      }
      return this.extension(ext.id, payload)
    })
  }

  /** Closes this side of the channel (sends Close); idempotent. */
  close(): void {
    if (this.closed) return
    this.stream._closeLocal(this)
  }

  /** Destroys the whole stream, as the original's channel.destroy does. */
  destroy(err?: Error): void {
    this.stream.destroy(err ?? new ChannelClosedError('Channel destroyed'))
  }

  private send<I>(type: number, codec: MessageCodec<I, unknown>, message: I): boolean {
    if (this.localId === -1) return false
    return this.stream._sendMessage(this.localId, type, codec, message)
  }

  /** @internal Delivers a decoded Options to the channel registry, then handlers and events. */
  _onoptions(message: Options): void {
    if (this.extensions !== null) this.extensions.updateRemote(message.extensions)
    this.handlers.onoptions?.(message)
    this.emit('options', message)
  }

  /** @internal */
  _onextension(id: number, message: Buffer): void {
    if (this.extensions !== null) this.extensions.receive(id, message, this)
    this.handlers.onextension?.(id, message)
    this.emit('extension', id, message)
  }
}

/** Checks a remote capability against what the connection's split keys say it must be. */
export function verifyCapability(
  stream: ChannelHost,
  key: Buffer | null,
  cap: Buffer | null,
): boolean {
  const split = stream._split()
  if (key === null || cap === null || split === null) return false
  return cap.equals(remoteCapability(key, split.tx, split.rx))
}
