// Replication of one core over protocol streams: one Peer per stream, shared request reservations.
import { ProtocolStream, type ProtocolStreamOptions } from '@hyperstack/hypercore-protocol'
import type { CoreReplicator, Hypercore } from './hypercore.js'
import { Peer } from './peer.js'

export interface ReplicateOptions extends ProtocolStreamOptions {
  /** Replicate onto this existing protocol stream instead of making one. */
  stream?: ProtocolStream
  /** Keep replicating after both sides are in sync (default false, as the original). */
  live?: boolean
  /** Per-peer toggles (default: the core's downloading/uploading). */
  download?: boolean
  upload?: boolean
  maxRequests?: number
}

export class Replicator implements CoreReplicator {
  readonly core: Hypercore
  readonly reserved = new Set<number>()
  readonly peers: Peer[] = []
  /** The next change in what peers have, while anyone waits for it (see nextPeerChange). */
  private peerChange: Promise<void> | null = null

  constructor(core: Hypercore) {
    this.core = core
  }

  /** Opens a channel for the core on `stream` (once per stream) and starts exchanging. */
  attach(stream: ProtocolStream, opts: ReplicateOptions): Peer | null {
    const core = this.core
    const key = core.key
    if (!key || stream.destroyed || stream.opened(key) || core.closed) return null
    if (opts.noise !== false && stream.remoteOpened(key) && !stream.remoteVerified(key)) {
      stream.close(core.discoveryKey as Buffer)
      return null
    }
    const peer = new Peer(this, {
      live: !!opts.live,
      download: opts.download ?? core.downloading,
      upload: opts.upload ?? core.uploading,
      maxRequests: opts.maxRequests ?? core.maxRequests,
    })
    this.peers.push(peer)
    peer.channel = stream.open(key, peer)
    core.emit('peer-add', peer)
    if (peer.channel.remoteOpened) peer.onopen()
    return peer
  }

  announce(start: number, length: number, from?: unknown): void {
    for (const peer of this.peers) if (peer !== from) peer.have(start, length)
    this.updateAll()
  }

  unannounce(start: number, length: number): void {
    for (const peer of this.peers) peer.unhave(start, length)
  }

  update(): void {
    this.updateAll()
  }

  updateAll(): void {
    for (const peer of this.peers.slice()) peer.update()
  }

  selectionsChanged(): void {
    for (const peer of this.peers.slice()) peer.onSelectionsChanged()
  }

  /** Resolves whether a connected peer has block `index` (after pending channels opened). */
  async available(index: number): Promise<boolean> {
    const deadline = Date.now() + 500
    while (
      this.peers.some((p) => !p.remoteOpened || p.remoteLength === 0) &&
      Date.now() < deadline
    ) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()))
        this.nextPeerChange().then(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
    return this.peers.some((p) => p.remoteBitfield.get(index) || p.remoteLength > index)
  }

  /**
   * Resolves at the next change in what the peers are known to have. Concurrent waiters share
   * one set of listeners: a replica's many concurrent reads would otherwise add three each and
   * trip Node's leak warning.
   */
  private nextPeerChange(): Promise<void> {
    if (this.peerChange === null) {
      this.peerChange = new Promise<void>((resolve) => {
        const changed = () => {
          this.core.off('remote-update', changed)
          this.core.off('peer-remove', changed)
          this.core.off('peer-open', changed)
          this.peerChange = null
          resolve()
        }
        this.core.on('remote-update', changed)
        this.core.on('peer-remove', changed)
        this.core.on('peer-open', changed)
      })
    }
    return this.peerChange
  }

  removePeer(peer: Peer, err: Error | null): void {
    const i = this.peers.indexOf(peer)
    if (i === -1) return
    this.peers.splice(i, 1)
    if (err) this.core.emit('peer-error', err, peer)
    this.core.emit('peer-remove', peer)
    this.updateAll()
  }

  close(): void {
    for (const peer of this.peers.slice()) peer.close(null)
  }
}

/** Makes (or reuses) the protocol stream and attaches the core once it is ready. */
export function replicate(
  core: Hypercore,
  replicator: Replicator,
  isInitiator: boolean | ProtocolStream,
  opts: ReplicateOptions,
): ProtocolStream {
  let stream: ProtocolStream
  if (isInitiator instanceof ProtocolStream) stream = isInitiator
  else if (opts.stream) stream = opts.stream
  else {
    const { stream: _s, download: _d, upload: _u, maxRequests: _m, ...streamOpts } = opts
    stream = new ProtocolStream(isInitiator, streamOpts)
  }
  core.ready().then(
    () => {
      replicator.attach(stream, opts)
    },
    (err: Error) => stream.destroy(err),
  )
  return stream
}
