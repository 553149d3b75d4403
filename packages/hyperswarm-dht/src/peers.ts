// The `peers` command of @hyperswarm/dht@4: announce / unannounce / lookup of {host, port}
// records under a topic, plus LAN records grouped by the first two octets of a local address.

import type { PeerAddress } from './addr.js'
import { decodeLocalPeers, decodePeerList, encodeAddr } from './addr.js'
import type { CommandRequest } from './command-host.js'
import type { DecodedPeersInput } from './messages/values.js'
import { decodePeersInput, decodePeersOutput, encodePeersOutput } from './messages/values.js'
import type { QueryReply } from './query.js'
import type { RecordCache } from './record-cache.js'

/** Most records in one reply (the original's 128, locals included) and most local records. */
const MAX_PEERS = 128
const MAX_LOCAL_PEERS = 32

export interface PeersReply {
  /** The DHT node that answered (its id is null when it is ephemeral). */
  node: { id: Buffer | null; host: string; port: number }
  /** Our address as that node saw it. */
  to: PeerAddress | null
  /** Announcers it knows (empty when none or when the list was invalid). */
  peers: PeerAddress[]
  /** Announcers on our LAN (only when we passed a localAddress; else empty). */
  localPeers: PeerAddress[]
}

export interface PeersEvents {
  onAnnounce(topic: Buffer, from: PeerAddress): void
  onUnannounce(topic: Buffer, from: PeerAddress): void
  onLookup(topic: Buffer, from: PeerAddress): void
}

/**
 * Serves one `peers` request. A request without a value (which crashes the original) reads as
 * an empty PeersInput; a localAddress that is not 6 bytes is ignored.
 */
export function servePeers(records: RecordCache, events: PeersEvents, req: CommandRequest): void {
  let input: DecodedPeersInput
  try {
    input = req.message.value
      ? decodePeersInput(req.message.value)
      : { port: 0, localAddress: null, unannounce: false }
  } catch {
    return
  }
  const from: PeerAddress = { host: req.from.host, port: input.port || req.from.port }
  if (!(from.port > 0 && from.port < 65536)) {
    req.reply('Invalid port', null)
    return
  }
  const local = input.localAddress && input.localAddress.length === 6 ? input.localAddress : null
  const remoteKey = req.target.toString('hex')
  const remoteRecord = encodeAddr(from)
  const localKey = local ? `${remoteKey}@local.${local.subarray(0, 2).toString('hex')}` : null
  const localRecord = local ? local.subarray(2) : null

  if (req.type === 'query') {
    const locals =
      localKey && localRecord ? without(records.get(localKey, MAX_LOCAL_PEERS), localRecord) : []
    const remotes = without(records.get(remoteKey, MAX_PEERS - locals.length), remoteRecord)
    events.onLookup(req.target, from)
    req.reply(
      null,
      encodePeersOutput({
        peers: remotes.length ? Buffer.concat(remotes) : null,
        localPeers: locals.length ? Buffer.concat(locals) : null,
      }),
    )
    return
  }
  if (input.unannounce) {
    records.remove(remoteKey, remoteRecord)
    if (localKey && localRecord) records.remove(localKey, localRecord)
    events.onUnannounce(req.target, from)
  } else {
    records.add(remoteKey, remoteRecord)
    if (localKey && localRecord) records.add(localKey, Buffer.from(localRecord))
    events.onAnnounce(req.target, from)
  }
  req.reply(null, null)
}

function without(list: Buffer[], item: Buffer): Buffer[] {
  const i = list.findIndex((x) => x.equals(item))
  if (i !== -1) {
    list[i] = list[list.length - 1]
    list.pop()
  }
  return list
}

/** Turns a reply into a PeersReply, or null when it reports nothing (as the original skips). */
export function mapPeersReply(localAddress: Buffer | null, reply: QueryReply): PeersReply | null {
  const v = reply.message.value
  if (!v) return null
  let out: ReturnType<typeof decodePeersOutput>
  try {
    out = decodePeersOutput(v)
  } catch {
    return null
  }
  if (!out.peers && !out.localPeers) return null
  return {
    node: reply.node,
    to: reply.to,
    peers: decodePeerList(out.peers) ?? [],
    localPeers: localAddress ? (decodeLocalPeers(localAddress, out.localPeers) ?? []) : [],
  }
}
