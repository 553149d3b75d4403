// An iterative Kademlia query (dht-rpc@4's query-stream, made leaner): walk towards the target
// querying the k closest candidates not yet asked, at most `concurrency` at a time, until the k
// closest live nodes have all answered; then, for updates, send the UPDATE to the k closest that
// gave us a round-trip token.

import type { NodeAddress, PeerAddress } from './addr.js'
import { decodeNodes } from './addr.js'
import type { DHTError } from './errors.js'
import { NoCloseNodesError, NoNodesRespondedError, RemoteError, TimeoutError } from './errors.js'
import type { Message } from './messages/message.js'
import { compareDistance } from './routing-table.js'
import type { Reply, RequestPeer, Rpc } from './rpc.js'

export interface QueryReply {
  type: 'query' | 'update'
  message: Message
  /** The replying node (id null when it is ephemeral). */
  node: { id: Buffer | null; host: string; port: number }
  /** Our address as the replying node saw it. */
  to: PeerAddress | null
}

export interface QueryHost {
  readonly rpc: Rpc
  readonly id: Buffer
  bootstrapNodes: PeerAddress[]
  closestContacts(target: Buffer, n: number): NodeAddress[]
  /** A request to a known node failed after all retries. */
  onNodeFailed(id: Buffer): void
}

export interface QuerySpec {
  command: string
  target: Buffer
  value: Buffer | null
  /** Send the command to every node on the walk (else the walk uses _find_node). */
  query: boolean
  /** Finish with an UPDATE to the k closest nodes. */
  update: boolean
  /** How many closest nodes the walk converges on (and updates). */
  k: number
  concurrency: number
  onReply?(reply: QueryReply): void
  /** An error reply (message.error set); the proof value is still undecoded. */
  onErrorReply?(err: DHTError, reply: QueryReply): void
}

export interface QueryResult {
  /** Requests this query sent (walk and update; retries not counted). */
  requests: number
  responses: number
  updates: number
  errors: number
  /** The closest nodes that answered with an id and a token. */
  closest: NodeAddress[]
}

interface Candidate extends RequestPeer {
  id: Buffer
  state: 'new' | 'pending' | 'done' | 'failed'
}

const MAX_CANDIDATES = 128

export class Query {
  readonly spec: QuerySpec
  private readonly host: QueryHost
  private readonly candidates: Candidate[] = []
  private readonly byId = new Set<string>()
  private readonly queriedAddresses = new Set<string>()
  private inflight = 0
  private requests = 0
  private responses = 0
  private updates = 0
  private errors = 0
  private phase: 'walk' | 'update' | 'done' = 'walk'
  private destroyed = false
  private settle: ((r: QueryResult | Error) => void) | null = null

  constructor(host: QueryHost, spec: QuerySpec) {
    this.host = host
    this.spec = spec
  }

  run(): Promise<QueryResult> {
    return new Promise<QueryResult>((resolve, reject) => {
      this.settle = (r) => (r instanceof Error ? reject(r) : resolve(r))
      const seeds = this.host.closestContacts(this.spec.target, this.spec.k)
      for (const s of seeds) this.addCandidate(s, null)
      const boot = this.host.bootstrapNodes
      if (seeds.length < boot.length) for (const b of boot) this.send(b, null)
      this.step()
    })
  }

  /** Stops sending; in-flight replies are ignored and the query resolves with what it has. */
  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.finish()
  }

  private addCandidate(node: NodeAddress, referrer: PeerAddress | null): void {
    if (node.id.length !== 32 || node.id.equals(this.host.id)) return
    const key = node.id.toString('hex')
    if (this.byId.has(key)) return
    if (this.queriedAddresses.has(`${node.host}:${node.port}`)) return
    const c: Candidate = {
      id: node.id,
      host: node.host,
      port: node.port,
      referrer,
      roundtripToken: null,
      state: 'new',
    }
    const list = this.candidates
    let lo = 0
    let hi = list.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (compareDistance(this.spec.target, list[mid].id, c.id) < 0) lo = mid + 1
      else hi = mid
    }
    if (lo >= MAX_CANDIDATES) return
    list.splice(lo, 0, c)
    this.byId.add(key)
    if (list.length > MAX_CANDIDATES) {
      // drop the farthest candidate not in flight
      for (let i = list.length - 1; i >= 0; i--) {
        if (list[i].state !== 'pending') {
          this.byId.delete(list[i].id.toString('hex'))
          list.splice(i, 1)
          break
        }
      }
    }
  }

  private step(): void {
    if (this.destroyed || this.phase === 'done') return
    if (this.phase === 'walk') {
      let considered = 0
      let waiting = false
      for (const c of this.candidates) {
        if (c.state === 'failed') continue
        if (++considered > this.spec.k) break
        if (c.state === 'pending') waiting = true
        if (c.state !== 'new') continue
        if (!this.hasFreeSlot()) {
          waiting = true
          break
        }
        c.state = 'pending'
        this.send(c, c)
        waiting = true
      }
      if (waiting || this.inflight > 0) return
      if (!this.spec.update) {
        this.finish()
        return
      }
      this.phase = 'update'
      const targets = this.closestVerified()
      if (targets.length === 0) {
        this.finish()
        return
      }
      for (const t of targets) this.sendUpdate(t)
      return
    }
    if (this.inflight === 0) this.finish()
  }

  private hasFreeSlot(): boolean {
    if (this.inflight >= this.spec.concurrency) return false
    // share the node-wide budget, but never starve a query that has nothing in flight
    return this.inflight === 0 || this.host.rpc.inflightCount < this.host.rpc.concurrency
  }

  private closestVerified(): Candidate[] {
    const out: Candidate[] = []
    for (const c of this.candidates) {
      if (c.state === 'done' && c.roundtripToken) out.push(c)
      if (out.length >= this.spec.k) break
    }
    return out
  }

  /** Sends the walk request; `candidate` is null for a bootstrap address (id unknown). */
  private send(peer: RequestPeer, candidate: Candidate | null): void {
    this.queriedAddresses.add(`${peer.host}:${peer.port}`)
    this.inflight++
    this.requests++
    const rpc = this.host.rpc
    const { spec } = this
    const req = spec.query
      ? rpc.query(spec.command, spec.target, spec.value, peer)
      : rpc.query('_find_node', spec.target, null, peer)
    req.then(
      (reply) => this.onWalkReply(reply, candidate),
      (err: Error) => this.onWalkFailure(candidate, err),
    )
  }

  private onWalkReply(reply: Reply, candidate: Candidate | null): void {
    this.inflight--
    if (this.destroyed || this.phase === 'done') return
    this.responses++
    const m = reply.message
    let c = candidate
    if (!c && m.id) {
      // a bootstrap node answered: known by id from now on, so it is not asked twice
      const key = m.id.toString('hex')
      if (this.byId.has(key)) c = this.candidates.find((x) => x.id.equals(m.id as Buffer)) ?? null
      else {
        this.addCandidate({ id: m.id, host: reply.from.host, port: reply.from.port }, null)
        c = this.candidates.find((x) => x.id.equals(m.id as Buffer)) ?? null
      }
    }
    if (c) {
      c.state = 'done'
      if (m.roundtripToken && m.id && !m.error) c.roundtripToken = m.roundtripToken
    }
    if (this.phase === 'walk' && m.closerNodes) {
      let nodes: NodeAddress[] = []
      try {
        nodes = decodeNodes(m.closerNodes)
      } catch {
        nodes = []
      }
      for (const n of nodes) this.addCandidate(n, reply.from)
    }
    this.emit(m, reply, 'query')
    this.step()
  }

  private onWalkFailure(candidate: Candidate | null, err: Error): void {
    this.inflight--
    this.errors++
    if (candidate) {
      candidate.state = 'failed'
      // only silence evicts a node; a full local queue or a cancel says nothing about it
      if (err instanceof TimeoutError) this.host.onNodeFailed(candidate.id)
    }
    if (this.destroyed || this.phase === 'done') return
    this.step()
  }

  private sendUpdate(c: Candidate): void {
    this.inflight++
    this.requests++
    this.host.rpc.update(this.spec.command, this.spec.target, this.spec.value, c).then(
      (reply) => {
        this.inflight--
        if (this.destroyed || this.phase === 'done') return
        this.updates++
        this.emit(reply.message, reply, 'update')
        this.step()
      },
      () => {
        this.inflight--
        this.errors++
        if (this.destroyed || this.phase === 'done') return
        this.step()
      },
    )
  }

  private emit(m: Message, reply: Reply, type: 'query' | 'update'): void {
    const isWalk = type === 'query'
    if (isWalk && !this.spec.query && !m.error) return
    const out: QueryReply = {
      type,
      message: m,
      node: { id: m.id, host: reply.from.host, port: reply.from.port },
      to: decodeTo(m.to),
    }
    if (m.error) this.spec.onErrorReply?.(new RemoteError(m.error), out)
    else this.spec.onReply?.(out)
  }

  private finish(): void {
    const wasUpdating = this.phase === 'update'
    this.phase = 'done'
    const settle = this.settle
    this.settle = null
    if (settle) settle(this.outcome(wasUpdating))
  }

  private outcome(wasUpdating: boolean): QueryResult | Error {
    if (!this.destroyed && this.responses === 0) {
      return new NoNodesRespondedError('No nodes responded')
    }
    if (
      !this.destroyed &&
      this.spec.update &&
      (wasUpdating || this.responses > 0) &&
      this.updates === 0
    ) {
      return new NoCloseNodesError('No close nodes responded')
    }
    return {
      requests: this.requests,
      responses: this.responses,
      updates: this.updates,
      errors: this.errors,
      closest: this.closestVerified().map((c) => ({ id: c.id, host: c.host, port: c.port })),
    }
  }
}

function decodeTo(to: Buffer | null): PeerAddress | null {
  if (!to || to.length !== 6) return null
  return { host: `${to[0]}.${to[1]}.${to[2]}.${to[3]}`, port: to.readUInt16BE(4) }
}
