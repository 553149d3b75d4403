// The channels of one stream, indexed three ways: by discovery key, by our local id, by the
// remote's id. Local ids start at 1 and are never reused, as hypercore-protocol@8 allocates them.
import { Channel, type ChannelHost } from './channel.js'

export class ChannelTable {
  private readonly host: ChannelHost
  private readonly byDiscoveryKey = new Map<string, Channel>()
  private readonly byLocalId = new Map<number, Channel>()
  private readonly byRemoteId = new Map<number, Channel>()
  private nextLocalId = 1

  constructor(host: ChannelHost) {
    this.host = host
  }

  /** Channels known (opened by either side). */
  get size(): number {
    return this.byDiscoveryKey.size
  }

  values(): IterableIterator<Channel> {
    return this.byDiscoveryKey.values()
  }

  get(discoveryKey: Uint8Array): Channel | undefined {
    return this.byDiscoveryKey.get(Buffer.from(discoveryKey).toString('hex'))
  }

  /** The channel for `discoveryKey`, created (unopened on both sides) if new. */
  getOrCreate(discoveryKey: Buffer): Channel {
    const hex = discoveryKey.toString('hex')
    const old = this.byDiscoveryKey.get(hex)
    if (old) return old
    const fresh = new Channel(this.host, discoveryKey)
    this.byDiscoveryKey.set(hex, fresh)
    return fresh
  }

  /** A fresh local id (also used, unattached, to refuse a channel with Close). */
  allocateLocalId(): number {
    return this.nextLocalId++
  }

  attachLocal(ch: Channel): void {
    ch.localId = this.allocateLocalId()
    this.byLocalId.set(ch.localId, ch)
  }

  attachRemote(ch: Channel, remoteId: number): void {
    ch.remoteId = remoteId
    this.byRemoteId.set(remoteId, ch)
  }

  byRemote(remoteId: number): Channel | undefined {
    return this.byRemoteId.get(remoteId)
  }

  /** Unmaps the remote id; returns the channel it pointed to. */
  detachRemote(remoteId: number): Channel | undefined {
    const ch = this.byRemoteId.get(remoteId)
    if (ch !== undefined) this.byRemoteId.delete(remoteId)
    return ch
  }

  /** Ends this side of `ch`; returns its old local id, or -1 if it was not open here. */
  detachLocal(ch: Channel): number {
    const localId = ch.localId
    if (localId === -1 || this.byLocalId.get(localId) !== ch) return -1
    this.byLocalId.delete(localId)
    ch.localId = -1
    return localId
  }

  /** Forgets `ch` entirely (its remote id too, if it still points to it). */
  delete(ch: Channel): void {
    if (ch.remoteId > -1 && this.byRemoteId.get(ch.remoteId) === ch) {
      this.byRemoteId.delete(ch.remoteId)
    }
    const hex = ch.discoveryKey.toString('hex')
    if (this.byDiscoveryKey.get(hex) === ch) this.byDiscoveryKey.delete(hex)
  }

  /** Empties the table; returns the channels it held. */
  clear(): Channel[] {
    const channels = [...this.byDiscoveryKey.values()]
    this.byDiscoveryKey.clear()
    this.byLocalId.clear()
    this.byRemoteId.clear()
    return channels
  }
}
