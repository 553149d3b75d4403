// Public API of @hyperstack/hypercore-protocol: re-exports only.
export { ProtocolStream, ProtocolStream as Protocol } from './protocol-stream.js'
export type { ProtocolStreamEvents, ProtocolStreamOptions } from './stream-options.js'
export { Channel } from './channel.js'
export type { ChannelEvents, ChannelHandlers } from './channel.js'
export { Extension } from './extensions.js'
export type { ExtensionEncoding, ExtensionEncodingName, ExtensionHandlers } from './extensions.js'
export { discoveryKey, capability, remoteCapability } from './capability.js'
export { keyPair } from './noise.js'
export type { KeyPair } from './noise.js'
export { MAX_FRAME_SIZE, FrameDecoder } from './frame-decoder.js'
export type { FrameHandler } from './frame-decoder.js'
export { MAX_HANDSHAKE_MESSAGE } from './handshake.js'
export {
  AuthenticationError,
  ChannelClosedError,
  FrameTooLargeError,
  HandshakeError,
  InvalidArgumentError,
  InvalidCapabilityError,
  InvalidFrameError,
  InvalidHandshakePayloadError,
  InvalidMessageError,
  ProtocolError,
  StreamDestroyedError,
  TimeoutError,
  TooManyChannelsError,
} from './errors.js'
export { MessageType } from './messages/types.js'
export type {
  Cancel,
  CancelInput,
  Close,
  CloseInput,
  Data,
  DataInput,
  DataNode,
  DataNodeInput,
  Extension as ExtensionMessage,
  Have,
  HaveInput,
  NoisePayload,
  Open,
  OpenInput,
  Options,
  OptionsInput,
  Request,
  RequestInput,
  Status,
  StatusInput,
  Unhave,
  UnhaveInput,
  Unwant,
  UnwantInput,
  Want,
  WantInput,
} from './messages/types.js'
export type { MessageCodec } from './messages/codec.js'
export { OpenCodec, CloseCodec } from './messages/open-close.js'
export { OptionsCodec, StatusCodec } from './messages/options-status.js'
export { HaveCodec, UnhaveCodec, WantCodec, UnwantCodec } from './messages/ranges.js'
export { RequestCodec, CancelCodec } from './messages/requests.js'
export { DataCodec } from './messages/data.js'
export { ExtensionCodec } from './messages/extension.js'
export type { ExtensionInput } from './messages/extension.js'
export { NoisePayloadCodec } from './messages/noise-payload.js'
