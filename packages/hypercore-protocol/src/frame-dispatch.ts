// Receiving: decode one frame by its type and hand it to its channel's handlers and events, or
// to the stream for Open, Close and channel-0 (stream-level) Options and extensions.
import type { Channel, ChannelEvents, ChannelHandlers } from './channel.js'
import { DataCodec } from './messages/data.js'
import { ExtensionCodec } from './messages/extension.js'
import { CloseCodec, OpenCodec } from './messages/open-close.js'
import { OptionsCodec, StatusCodec } from './messages/options-status.js'
import { HaveCodec, UnhaveCodec, UnwantCodec, WantCodec } from './messages/ranges.js'
import { CancelCodec, RequestCodec } from './messages/requests.js'
import { type Close, MessageType, type Open } from './messages/types.js'

/** What a stream provides to the dispatcher. */
export interface FrameTarget {
  /** The channel the remote numbered `remoteId`, if any. */
  _channelByRemoteId(remoteId: number): Channel | undefined
  _onopen(remoteId: number, message: Open): void
  _onclose(remoteId: number, message: Close): void
  /** Options on channel 0 when the remote has no channel 0: its stream extension names. */
  _onstreamoptions(names: string[]): void
  _onstreamextension(id: number, message: Buffer): void
}

type MessageEventName =
  | 'status'
  | 'have'
  | 'unhave'
  | 'want'
  | 'unwant'
  | 'request'
  | 'cancel'
  | 'data'

type MessageHandlerName =
  | 'onstatus'
  | 'onhave'
  | 'onunhave'
  | 'onwant'
  | 'onunwant'
  | 'onrequest'
  | 'oncancel'
  | 'ondata'

/** Decodes and delivers one frame; throws InvalidMessageError for a malformed body. */
export function dispatchFrame(
  target: FrameTarget,
  channel: number,
  type: number,
  buf: Buffer,
  start: number,
  end: number,
): void {
  switch (type) {
    case MessageType.Open:
      target._onopen(channel, OpenCodec.decode(buf, start, end))
      return
    case MessageType.Options: {
      const m = OptionsCodec.decode(buf, start, end)
      const ch = target._channelByRemoteId(channel)
      if (ch) ch._onoptions(m)
      else if (channel === 0) target._onstreamoptions(m.extensions)
      return
    }
    case MessageType.Status:
      deliver(target, channel, 'onstatus', 'status', StatusCodec.decode(buf, start, end))
      return
    case MessageType.Have:
      deliver(target, channel, 'onhave', 'have', HaveCodec.decode(buf, start, end))
      return
    case MessageType.Unhave:
      deliver(target, channel, 'onunhave', 'unhave', UnhaveCodec.decode(buf, start, end))
      return
    case MessageType.Want:
      deliver(target, channel, 'onwant', 'want', WantCodec.decode(buf, start, end))
      return
    case MessageType.Unwant:
      deliver(target, channel, 'onunwant', 'unwant', UnwantCodec.decode(buf, start, end))
      return
    case MessageType.Request:
      deliver(target, channel, 'onrequest', 'request', RequestCodec.decode(buf, start, end))
      return
    case MessageType.Cancel:
      deliver(target, channel, 'oncancel', 'cancel', CancelCodec.decode(buf, start, end))
      return
    case MessageType.Data:
      deliver(target, channel, 'ondata', 'data', DataCodec.decode(buf, start, end))
      return
    case MessageType.Close:
      target._onclose(channel, CloseCodec.decode(buf, start, end))
      return
    case MessageType.Extension: {
      const m = ExtensionCodec.decode(buf, start, end)
      const ch = target._channelByRemoteId(channel)
      if (ch) ch._onextension(m.id, m.message)
      else if (channel === 0) target._onstreamextension(m.id, m.message)
      return
    }
    default:
      // Types 11..14 carry nothing in this version of the protocol: ignored, as the original.
      return
  }
}

/** Calls the channel's handler as a method of its handlers object, then emits the event. */
function deliver<E extends MessageEventName>(
  target: FrameTarget,
  channel: number,
  handler: MessageHandlerName,
  event: E,
  message: ChannelEvents[E][0],
): void {
  const ch = target._channelByRemoteId(channel)
  if (ch === undefined) return
  const handlers: ChannelHandlers = ch.handlers
  const fn = handlers[handler] as ((m: ChannelEvents[E][0]) => void) | undefined
  if (fn !== undefined) fn.call(handlers, message)
  ;(ch.emit as (event: E, message: ChannelEvents[E][0]) => boolean)(event, message)
}
