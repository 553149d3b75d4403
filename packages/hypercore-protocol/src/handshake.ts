// The connection handshake: Noise XX messages framed as varint(length) ‖ message, each carrying a
// NoisePayload with this side's XSalsa20 nonce, as simple-hypercore-protocol@2 does it.
import {
  AuthenticationError,
  FrameTooLargeError,
  HandshakeError,
  InvalidHandshakePayloadError,
  ProtocolError,
} from './errors.js'
import { NoisePayloadCodec } from './messages/noise-payload.js'
import { type KeyPair, NoiseXX } from './noise.js'
import { NONCE_BYTES } from './stream-cipher.js'

/** Noise caps a handshake message at 65535 bytes; longer announced lengths are refused. */
export const MAX_HANDSHAKE_MESSAGE = 65535

export interface HandshakeResult {
  tx: Buffer
  rx: Buffer
  handshakeHash: Buffer
  remotePublicKey: Buffer
  /** The remote's XSalsa20 nonce (from its payload). */
  remoteNonce: Buffer
}

export interface HandshakeOptions {
  initiator: boolean
  keyPair: KeyPair
  /** This side's XSalsa20 nonce, sent in every handshake payload. */
  nonce: Buffer
  /** Writes one framed handshake message to the wire. */
  send(message: Buffer): void
  /** Called with the remote static key; throwing or rejecting aborts the handshake. */
  onauthenticate?: (remotePublicKey: Buffer) => void | Promise<void>
  /** Test hook: fixed ephemeral key pair (the vectors patch the RNG to get one). */
  ephemeralKeyPair?: KeyPair
}

/**
 * Drives one handshake. `recv` returns false when processing must pause until `onresume`
 * (an asynchronous onauthenticate); `ondone` reports the result and any bytes that followed the
 * last handshake message in the same chunk (the first transport bytes).
 */
export class Handshake {
  private readonly opts: HandshakeOptions
  private readonly noise: NoiseXX
  private readonly payload: Buffer
  private readonly ondone: (
    err: Error | null,
    result: HandshakeResult | null,
    rest: Buffer | null,
  ) => void
  private buffer: Buffer | null = null
  /** Chunks received after `buffer`, not joined yet; `buffered` counts all of it. */
  private parts: Buffer[] = []
  private buffered = 0
  private remotePayload: Buffer | null = null
  private waiting = false
  private finished = false
  /** Set while an async onauthenticate runs; called when processing may continue. */
  onresume: (() => void) | null = null

  constructor(
    opts: HandshakeOptions,
    ondone: (err: Error | null, result: HandshakeResult | null, rest: Buffer | null) => void,
  ) {
    this.opts = opts
    this.ondone = ondone
    this.noise = new NoiseXX(opts.initiator, opts.keyPair, {
      ephemeralKeyPair: opts.ephemeralKeyPair,
    })
    const payload = { nonce: opts.nonce }
    this.payload = Buffer.alloc(NoisePayloadCodec.encodingLength(payload))
    NoisePayloadCodec.encode(payload, this.payload, 0)
  }

  get publicKey(): Buffer {
    return this.opts.keyPair.publicKey
  }

  get done(): boolean {
    return this.finished
  }

  /** The initiator writes message 1. */
  start(): void {
    if (this.noise.canSend) this.sendNext()
  }

  /** Feeds received bytes; returns false if the caller must wait for `onresume`. */
  recv(chunk: Buffer): boolean {
    if (this.finished) return true
    // Chunks are joined only once a whole message is there (see nextMessage), so a peer
    // trickling bytes costs linear, not quadratic, copying.
    if (this.buffer === null) this.buffer = chunk
    else this.parts.push(chunk)
    this.buffered += chunk.byteLength
    if (this.waiting) return false
    return this.process()
  }

  destroy(): void {
    this.finished = true
    this.buffer = null
    this.parts = []
    this.release()
  }

  /** Lets a held write continue (the stream cannot finish destroying while one is held). */
  private release(): void {
    const onresume = this.onresume
    this.onresume = null
    if (onresume) onresume()
  }

  private process(): boolean {
    try {
      while (!this.finished && !this.waiting && this.buffer !== null) {
        const message = this.nextMessage()
        if (message === null) return true
        const payload = this.noise.recv(message)
        if (payload.byteLength > 0) this.remotePayload = payload
        if (!this.authenticate()) return false
        this.afterRecv()
      }
      return true
    } catch (err) {
      this.fail(err)
      return true
    }
  }

  /** Runs onauthenticate once the remote static key is known; false while it is pending. */
  private authenticate(): boolean {
    const onauthenticate = this.opts.onauthenticate
    const key = this.noise.remoteStaticKey
    // The key arrives in message 2 (initiator) or 3 (responder); the step after is when we check.
    const justLearned = key !== null && (this.noise.result !== null) === !this.opts.initiator
    if (!onauthenticate || !justLearned) return true
    let verdict: void | Promise<void>
    try {
      verdict = onauthenticate(Buffer.from(key))
    } catch (err) {
      throw toAuthenticationError(err)
    }
    if (!verdict || typeof verdict.then !== 'function') return true
    this.waiting = true
    verdict.then(
      () => this.resume(),
      (err: unknown) => this.fail(toAuthenticationError(err)),
    )
    return false
  }

  private resume(): void {
    if (this.finished) return
    this.waiting = false
    try {
      this.afterRecv()
    } catch (err) {
      this.fail(err)
      return
    }
    this.process()
    this.release()
  }

  private afterRecv(): void {
    if (this.noise.canSend) this.sendNext()
    if (this.noise.result !== null) this.complete()
  }

  private sendNext(): void {
    const message = this.noise.send(this.payload)
    const framed = Buffer.alloc(1 + (message.byteLength > 127 ? 2 : 0) + message.byteLength)
    let offset = 0
    let len = message.byteLength
    while (len >= 0x80) {
      framed[offset++] = (len & 0x7f) | 0x80
      len >>>= 7
    }
    framed[offset++] = len
    message.copy(framed, offset)
    this.opts.send(framed.subarray(0, offset + message.byteLength))
  }

  /** Cuts one length-prefixed message off the buffer, or null when it is not complete yet. */
  private nextMessage(): Buffer | null {
    let buf = this.buffer!
    if (buf.byteLength < 3 && this.parts.length > 0) buf = this.join()
    let length = 0
    let factor = 1
    let i = 0
    for (; ; i++) {
      if (i >= buf.byteLength) return null
      if (i >= 3) throw new FrameTooLargeError(Number.POSITIVE_INFINITY, MAX_HANDSHAKE_MESSAGE)
      const byte = buf[i]
      length += (byte & 0x7f) * factor
      factor *= 128
      if (byte < 0x80) break
    }
    if (length > MAX_HANDSHAKE_MESSAGE) throw new FrameTooLargeError(length, MAX_HANDSHAKE_MESSAGE)
    const start = i + 1
    if (this.buffered - start < length) return null
    if (buf.byteLength - start < length) buf = this.join()
    const message = buf.subarray(start, start + length)
    const end = start + length
    if (buf.byteLength > end) this.buffer = buf.subarray(end)
    else if (this.parts.length > 0) {
      this.buffer = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts)
      this.parts = []
    } else this.buffer = null
    this.buffered -= end
    return message
  }

  /** Joins `buffer` and the pending parts into one buffer. */
  private join(): Buffer {
    const joined = Buffer.concat([this.buffer!, ...this.parts], this.buffered)
    this.buffer = joined
    this.parts = []
    return joined
  }

  private complete(): void {
    const result = this.noise.result!
    if (this.remotePayload === null) {
      throw new InvalidHandshakePayloadError('Remote did not include a handshake payload')
    }
    let remoteNonce: Buffer
    try {
      remoteNonce = NoisePayloadCodec.decode(
        this.remotePayload,
        0,
        this.remotePayload.byteLength,
      ).nonce
    } catch {
      throw new InvalidHandshakePayloadError('Could not parse remote payload')
    }
    if (remoteNonce.byteLength !== NONCE_BYTES) {
      throw new InvalidHandshakePayloadError(
        `Remote payload nonce must be ${NONCE_BYTES} bytes, got ${remoteNonce.byteLength}`,
      )
    }
    this.finished = true
    const rest = this.parts.length > 0 ? this.join() : this.buffer
    this.buffer = null
    this.buffered = 0
    this.ondone(
      null,
      {
        tx: result.tx,
        rx: result.rx,
        handshakeHash: result.handshakeHash,
        remotePublicKey: result.remotePublicKey,
        remoteNonce: Buffer.from(remoteNonce),
      },
      rest,
    )
  }

  private fail(err: unknown): void {
    if (this.finished) return
    this.finished = true
    this.buffer = null
    this.parts = []
    let error: Error
    if (err instanceof ProtocolError) error = err
    else if (err instanceof Error)
      error = new HandshakeError(`Noise handshake error: ${err.message}`)
    else error = new HandshakeError('Noise handshake error')
    this.ondone(error, null, null)
    this.release()
  }
}

function toAuthenticationError(err: unknown): Error {
  if (err instanceof ProtocolError) return err
  const reason = err instanceof Error ? err.message : String(err)
  return new AuthenticationError(`Remote public key was rejected by onauthenticate: ${reason}`)
}
