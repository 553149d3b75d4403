// Deduplication of connections between the same two peers, as hyperswarm@2's queue decides it:
// when both sides dial each other, exactly one connection survives, the same one on both sides.
//
// Rule (with ids exchanged by the application over each connection):
//   - same id on both ends: the connection is to ourselves and is destroyed;
//   - same transport: keep the connection DIALLED BY THE SIDE WITH THE SMALLER id (byte order),
//     so the smaller side keeps its client connection and the larger side its server one;
//   - different transports: keep TCP, drop UDP.
// A dropped client connection is ended (soft ban) and its peer re-queued at the lowest priority
// when the survivor closes; a dropped server connection is left for the remote side to end.
import type { SwarmSocket, TransportType } from './peer.js'

/** What the deduplicator needs to see of a connection (a PeerInfo provides it). */
export interface DedupConnection {
  readonly client: boolean
  readonly type: TransportType
  readonly stream: SwarmSocket | null
  readonly banned: boolean
  /** Set by the deduplicator: the pair key this connection is registered under. */
  dedupKey: string | null
  /** Marks the connection as the duplicate and notifies listeners ('duplicate' event). */
  markDuplicate(): void
  /** Soft-ban ends the stream; hard ban destroys it. */
  ban(soft?: boolean): void
  /** Destroys the stream with `err` and bans the connection. */
  destroy(err: Error): void
}

export interface DeduplicatorOptions<C extends DedupConnection> {
  /** Called when the survivor of a pair closes and a dropped client may be dialled again. */
  onReleaseDuplicate?: (dropped: C) => void
  /** Error to destroy a self-connection with. */
  selfError?: () => Error
}

export class Deduplicator<C extends DedupConnection> {
  private readonly survivors = new Map<string, C>()
  private readonly onReleaseDuplicate: (dropped: C) => void
  private readonly selfError: () => Error

  constructor(opts: DeduplicatorOptions<C> = {}) {
    this.onReleaseDuplicate = opts.onReleaseDuplicate ?? (() => {})
    this.selfError = opts.selfError ?? (() => new Error('Connected to self'))
  }

  get size(): number {
    return this.survivors.size
  }

  /**
   * Registers `conn` as a connection between `localId` and `remoteId`.
   * Returns true when `conn` is the one dropped (it is then ended or left to the remote).
   */
  deduplicate(localId: Uint8Array, remoteId: Uint8Array, conn: C): boolean {
    if (conn.stream === null) return false
    const key = `${Buffer.from(localId).toString('hex')}\n${Buffer.from(remoteId).toString('hex')}`
    const cmp = Buffer.compare(localId, remoteId)
    conn.dedupKey = key

    if (cmp === 0) {
      conn.destroy(this.selfError())
      return true
    }

    const other = this.survivors.get(key)
    if (other === undefined || other === conn) {
      this.survivors.set(key, conn)
      return false
    }

    if (keepNew(other, conn, cmp)) {
      this.drop(conn, other, key)
      return false
    }
    this.drop(other, conn, key)
    return true
  }

  /** Forgets `conn` as a survivor once its stream is gone. */
  disconnected(conn: C): void {
    if (conn.dedupKey !== null && this.survivors.get(conn.dedupKey) === conn) {
      this.survivors.delete(conn.dedupKey)
    }
  }

  clear(): void {
    this.survivors.clear()
  }

  private drop(survivor: C, dropped: C, key: string): void {
    this.survivors.set(key, survivor)
    dropped.markDuplicate()
    // The server side of a duplicate pair is closed by its client (the remote), which runs the
    // same rule; ending it here too would race that close.
    if (!dropped.client) return
    dropped.ban(true)
    survivor.stream?.once('close', () => {
      // A banned survivor means the application banned the peer: keep the duplicate banned.
      if (!survivor.banned) this.onReleaseDuplicate(dropped)
    })
  }
}

/** True when `incoming` should survive over the already registered `existing`. */
function keepNew(existing: DedupConnection, incoming: DedupConnection, cmp: number): boolean {
  if (existing.type !== incoming.type) return existing.type === 'udp'
  // Smaller id's side dials the survivor: we keep our client if we are smaller, else our server.
  return cmp < 0 ? incoming.client : !incoming.client
}
