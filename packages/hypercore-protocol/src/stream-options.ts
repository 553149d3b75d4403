// The options and events of a ProtocolStream, with their defaults written once.
import type { DuplexEvents } from 'streamx'
import type { Channel } from './channel.js'
import type { KeyPair } from './noise.js'

export interface ProtocolStreamOptions {
  /** Static Noise key pair (Curve25519); a fresh one when absent. */
  keyPair?: KeyPair
  /** Encrypt frames after the handshake (default true). */
  encrypted?: boolean
  /** With `encrypted: false`, `noise: false` skips the handshake entirely (default true). */
  noise?: boolean
  /** A live stream stays open when its last channel closes (default false). */
  live?: boolean
  /** Idle timeout in ms: destroyed with ETIMEDOUT when nothing arrives that long (default 20000; 0/false disables). */
  timeout?: number | false
  /** Send a keep-alive when nothing was sent this long (default ceil(timeout / 2); 0/false disables). */
  keepAlive?: number | false
  /** Max frame body accepted (default and maximum the original accepts: 8 MiB). */
  maxFrameSize?: number
  /**
   * Most channels one stream holds before a remote Open for a new discovery key destroys it with
   * TooManyChannelsError (default 65536; the original has no bound).
   */
  maxChannels?: number
  /** Readable-side highWaterMark in bytes (default 16 KiB, as streamx). */
  highWaterMark?: number
  /** The remote static key is known; throw/reject to abort the handshake. */
  onauthenticate?(remotePublicKey: Buffer): void | Promise<void>
  onhandshake?(): void
  /** The remote opened a channel for a discovery key this side has not opened. */
  ondiscoverykey?(discoveryKey: Buffer): void
  onremoteopen?(discoveryKey: Buffer): void
  onchannelclose?(discoveryKey: Buffer, key: Buffer | null): void
  /** The remote announced its stream-level extension names. */
  onextensions?(names: string[]): void
  /** Test hooks (replaying vectors): fixed ephemeral key pair and payload nonce. */
  ephemeralKeyPair?: KeyPair
  nonce?: Buffer
}

/** Events of a ProtocolStream, on top of streamx's Duplex events. */
export interface ProtocolStreamEvents extends DuplexEvents {
  data: [data: Buffer]
  handshake: []
  'discovery-key': [discoveryKey: Buffer]
  'remote-open': [discoveryKey: Buffer]
  'duplex-channel': [channel: Channel]
  'channel-close': [discoveryKey: Buffer, key: Buffer | null]
  extensions: [names: string[]]
  timeout: []
  prefinalize: []
}

/** Idle timeout when `timeout` is not given, as the original (ms). */
export const DEFAULT_TIMEOUT = 20000

/** Channels a remote may make a stream hold (each costs memory; a peer must not grow it forever). */
export const DEFAULT_MAX_CHANNELS = 65536

/** Readable-side buffer before send methods report back pressure (streamx default). */
export const DEFAULT_HIGH_WATER_MARK = 16384
