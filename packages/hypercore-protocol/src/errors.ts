// Typed errors of the replication wire: every failure a peer can cause has a stable `code`.

/** Base class of every error this package raises; `code` is stable across versions. */
export class ProtocolError extends Error {
  readonly code: string

  constructor(code: string, message: string) {
    super(message)
    this.name = new.target.name
    this.code = code
  }
}

/** A frame (or a handshake message) announced a length over the documented maximum. */
export class FrameTooLargeError extends ProtocolError {
  readonly length: number
  readonly maxSize: number

  constructor(length: number, maxSize: number) {
    super(
      'ERR_FRAME_TOO_LARGE',
      `Incoming message is larger than max size: expected at most ${maxSize} bytes, got ${length}`,
    )
    this.length = length
    this.maxSize = maxSize
  }
}

/** The byte stream is not a sequence of well-formed frames (e.g. an overlong varint). */
export class InvalidFrameError extends ProtocolError {
  constructor(message: string) {
    super('ERR_INVALID_FRAME', message)
  }
}

/** A frame body did not decode as the protobuf message its type announces. */
export class InvalidMessageError extends ProtocolError {
  constructor(message: string) {
    super('ERR_INVALID_MESSAGE', message)
  }
}

/** The Noise XX handshake failed (bad ciphertext, bad key, wrong framing). */
export class HandshakeError extends ProtocolError {
  constructor(message: string) {
    super('ERR_HANDSHAKE_FAILED', message)
  }
}

/** The remote's handshake payload was missing or did not decode as `NoisePayload`. */
export class InvalidHandshakePayloadError extends ProtocolError {
  constructor(message: string) {
    super('ERR_INVALID_HANDSHAKE_PAYLOAD', message)
  }
}

/** The application's `onauthenticate` refused the remote static key. */
export class AuthenticationError extends ProtocolError {
  constructor(message: string) {
    super('ERR_AUTHENTICATION_FAILED', message)
  }
}

/** The remote opened a channel we opened too but could not prove it knows the feed key. */
export class InvalidCapabilityError extends ProtocolError {
  readonly discoveryKey: Buffer

  constructor(discoveryKey: Buffer) {
    super(
      'ERR_INVALID_CAPABILITY',
      `Invalid remote channel capability for discovery key ${discoveryKey.toString('hex')}`,
    )
    this.discoveryKey = discoveryKey
  }
}

/** The remote opened more channels than `maxChannels` allows on one stream. */
export class TooManyChannelsError extends ProtocolError {
  constructor(max: number) {
    super('ERR_TOO_MANY_CHANNELS', `Remote opened more than ${max} channels on one stream`)
  }
}

/** Nothing was received for `timeout` ms (the original raises `ETIMEDOUT`). */
export class TimeoutError extends ProtocolError {
  constructor(ms: number) {
    super('ETIMEDOUT', `ETIMEDOUT: nothing received for ${ms} ms`)
  }
}

/** An argument from the application is invalid (wrong key length, bad option). */
export class InvalidArgumentError extends ProtocolError {
  constructor(message: string) {
    super('ERR_INVALID_ARGUMENT', message)
  }
}

/** An operation on a stream or channel that is already closed or destroyed. */
export class ChannelClosedError extends ProtocolError {
  constructor(message: string) {
    super('ERR_CHANNEL_CLOSED', message)
  }
}

/** The stream was destroyed before the operation could complete. */
export class StreamDestroyedError extends ProtocolError {
  constructor(message = 'Stream was destroyed') {
    super('ERR_STREAM_DESTROYED', message)
  }
}
