// Serving requests (dht-rpc@4's onrequest): _ping, _find_node, _holepunch (relay or answer) and
// the registered commands; a command without a 32-byte target gets silence, an unknown one an
// "Unsupported command" error reply.

import type { EventEmitter } from 'node:events'
import type { PeerAddress } from './addr.js'
import { decodeAddr, encodeAddr } from './addr.js'
import type { CommandHost, CommandRequest } from './command-host.js'
import { serveImmutable } from './immutable.js'
import type { Message } from './messages/message.js'
import { VERSION, encodeMessage } from './messages/message.js'
import { decodeHolepunch, encodeHolepunch } from './messages/values.js'
import { serveMutable } from './mutable.js'
import { servePeers } from './peers.js'
import type { RecordCache } from './record-cache.js'
import type { Rpc } from './rpc.js'
import type { DHTStats } from './stats.js'

export interface ServeContext extends CommandHost {
  readonly rpc: Rpc
  readonly records: RecordCache
  readonly stats: DHTStats
  /** node38 list of the 20 contacts closest to `target`. */
  closerNodes(target: Buffer): Buffer
  emit: EventEmitter['emit']
}

export function serveRequest(
  ctx: ServeContext,
  type: 'query' | 'update',
  m: Message,
  from: PeerAddress,
): void {
  switch (m.command) {
    case '_ping':
      // a ping naming another node's id gets silence, as the original
      if (m.value && !ctx.id.equals(m.value)) return
      ctx.rpc.respond(m, from, encodeAddr(from), null)
      return
    case '_find_node':
      if (!m.target || m.target.length !== 32) return
      ctx.rpc.respond(m, from, null, ctx.closerNodes(m.target))
      return
    case '_holepunch':
      serveHolepunch(ctx, m, from)
      return
    default:
      serveCommand(ctx, type, m, from)
  }
}

/**
 * With `value.to`: relay the request to that address, rewritten as the original does (our id,
 * `to` = the target, value = {from: the asker}) and keeping every other decoded field, so the
 * relayed datagram carries an empty error field. Otherwise answer `value.from` (or the sender).
 * No value or an undecodable one: silence (the direct probe is only meant to open a NAT).
 */
function serveHolepunch(ctx: ServeContext, m: Message, from: PeerAddress): void {
  if (!m.value) return
  let value: ReturnType<typeof decodeHolepunch>
  try {
    value = decodeHolepunch(m.value)
  } catch {
    return
  }
  if (value.to) {
    const to = decodeAddr(value.to)
    if (!to || (to.host === from.host && to.port === from.port)) return
    ctx.emit('holepunch', from, to)
    const relayed = encodeMessage({
      version: VERSION,
      type: m.type,
      rid: m.rid,
      to: encodeAddr(to),
      id: ctx.rpc.id,
      target: m.target,
      closerNodes: m.closerNodes,
      roundtripToken: m.roundtripToken,
      command: m.command,
      error: m.error,
      value: encodeHolepunch({ from: encodeAddr(from) }),
    })
    ctx.stats.sent.holepunches++
    ctx.rpc.sendRaw(relayed, to)
    return
  }
  const target = value.from ? (decodeAddr(value.from) ?? from) : from
  ctx.rpc.respond(m, target, null, null)
}

function serveCommand(
  ctx: ServeContext,
  type: 'query' | 'update',
  m: Message,
  from: PeerAddress,
): void {
  if (!m.target || m.target.length !== 32) return
  const target = m.target
  const req: CommandRequest = {
    type,
    message: m,
    target,
    from,
    reply: (error, value) => {
      if (error) ctx.rpc.respondError(m, from, error, ctx.closerNodes(target), value)
      else ctx.rpc.respond(m, from, value, ctx.closerNodes(target))
    },
  }
  switch (m.command) {
    case 'peers':
      servePeers(
        ctx.records,
        {
          onAnnounce: (t, f) => ctx.emit('announce', t, f),
          onUnannounce: (t, f) => ctx.emit('unannounce', t, f),
          onLookup: (t, f) => ctx.emit('lookup', t, f),
        },
        req,
      )
      return
    case 'immutable-store':
      serveImmutable(ctx, req)
      return
    case 'mutable-store':
      serveMutable(ctx, req)
      return
    default:
      req.reply('Unsupported command', null)
  }
}
