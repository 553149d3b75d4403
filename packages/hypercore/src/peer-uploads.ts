// What one peer sends: answers to its Requests and blocks pushed unasked, each with the proof
// the remote needs given what it is known to have (hypercore@9's `_onrequest` and our push).
import type { Channel, DataInput, Request } from '@hyperstack/hypercore-protocol'
import type { Bitfield } from './bitfield.js'
import type { TreeNode } from './crypto.js'
import { InvalidMessageError } from './errors.js'
import { PUSH_EXTENSION } from './feed-extensions.js'
import type { Hypercore } from './hypercore.js'
import type { Proof } from './put.js'
import type { RemoteBitfield } from './remote-bitfield.js'
import { type TransferStats, countUpload } from './transfer-stats.js'
import { MemoryTreeBits, SparseTreeBits, type TreeBits, setNode } from './tree-index.js'

/** A Want waiting its turn: `answer` sends the Have. */
interface WaitingWant {
  answer(): void
}

/** A Data message to send, with the proof nodes it carries. */
type OutgoingData = DataInput & { nodes: TreeNode[] }

/** The peer state uploads read and update. */
export interface UploadingPeer {
  readonly core: Hypercore
  readonly channel: Channel | null
  readonly uploading: boolean
  readonly closed: boolean
  readonly remoteExtensions: readonly string[]
  readonly remoteBitfield: RemoteBitfield
  remoteLength: number
  /** Counts what we upload to it. */
  readonly stats: TransferStats
  /** The remote's length grew: a non-live download may end there. */
  updateEnd(): void
  /** Ends this peer's channel (a hostile or failed exchange). */
  destroy(err: Error): void
}

/**
 * Requests (and Wants) a peer may have waiting for answers. Our reader keeps at most
 * maxRequests + 16 requests out and hypercore@9 16 per peer, with a Want or two; a peer past
 * this sends them without reading the answers.
 */
export const MAX_WAITING_REQUESTS = 4096
/** Requests answered at once: what is read from storage ahead of the wire is at most this many blocks. */
const ANSWERING = 32

/** One peer's uploads; the proofs it plans stop at what the remote is known to have. */
export class Uploads {
  /** The tree nodes the remote is known to have (proofs stop at them). */
  private readonly remoteTree = new MemoryTreeBits()
  /** The byte offset answered last (repeats are dropped, as hypercore@9's responder does). */
  private lastBytes = 0

  /** Requests (and Wants) in arrival order; those before `next` are answered or being answered. */
  private waiting: (Request | WaitingWant)[] = []
  private next = 0
  private answering = 0
  private awaitingDrain = false
  private readonly answered = () => {
    this.answering--
    this.pump()
  }
  private readonly failed = (err: Error) => this.peer.destroy(err)

  constructor(private readonly peer: UploadingPeer) {}

  /**
   * Takes a Request, answered in turn while the stream to the peer keeps up: a peer that does
   * not read its answers costs at most MAX_WAITING_REQUESTS small requests and ANSWERING blocks,
   * not a block per request (20,000 requests for 64 KiB blocks used to take 1.5 GB).
   */
  take(request: Request): void {
    this.enqueue(request)
  }

  /**
   * Takes a Want, answered (by `answer`, with a Have of that region's bitfield) in turn with the
   * requests: each answer can be a bitfield of megabytes, so they wait on the stream too.
   */
  takeWant(answer: () => void): void {
    this.enqueue({ answer })
  }

  private enqueue(item: Request | WaitingWant): void {
    if (this.waiting.length - this.next >= MAX_WAITING_REQUESTS) {
      this.peer.destroy(
        new InvalidMessageError(
          `Peer has over ${MAX_WAITING_REQUESTS} requests waiting for answers`,
        ),
      )
      return
    }
    this.waiting.push(item)
    this.pump()
  }

  private pump(): void {
    const channel = this.peer.channel
    while (this.next < this.waiting.length && this.answering < ANSWERING) {
      if (channel === null || this.peer.closed) {
        this.waiting = []
        this.next = 0
        return
      }
      if (channel.stream.backpressured) {
        if (!this.awaitingDrain) {
          this.awaitingDrain = true
          channel.stream.drained().then(() => {
            this.awaitingDrain = false
            this.pump()
          })
        }
        return
      }
      const item = this.waiting[this.next++]
      if ('answer' in item) {
        item.answer()
        continue
      }
      this.answering++
      this.answer(item).catch(this.failed).then(this.answered)
    }
    if (this.next === this.waiting.length) {
      this.waiting.length = 0
      this.next = 0
    } else if (this.next >= 1024 && 2 * this.next >= this.waiting.length) {
      // Drop the answered ones once they are most of it (a busy peer may never empty it).
      this.waiting = this.waiting.slice(this.next)
      this.next = 0
    }
  }

  /** Answers a Request: the block (or its hashes), by index or by byte offset. */
  private async answer(request: Request): Promise<void> {
    const core = this.peer.core
    let index = request.index
    let nodes = request.nodes
    if (request.bytes) {
      try {
        const [i] = await core.seek(request.bytes, { wait: false })
        // As the original: parallel requests for the same offset get one answer (hypercore@9
        // readers send several while they seek).
        if (this.lastBytes === request.bytes) return
        this.lastBytes = request.bytes
        index = i
        nodes = 0
      } catch {
        // Not found locally: answer the index as given, as the original does.
      }
    }
    // Nothing past our length is here to prove (a hash-only request asks for proof nodes).
    if (!Number.isSafeInteger(index) || index < 0 || index >= core.length) return
    if (!request.hash && !(core.bitfield as Bitfield).get(index)) return
    await this.sendBlock(index, nodes, request.hash)
  }

  /**
   * Sends block `index` (or only its hashes) with the proof the remote needs; resolves the proof
   * nodes sent, or null when nothing was sent.
   */
  private async sendBlock(index: number, nodes: number, hash: boolean): Promise<TreeNode[] | null> {
    // The proof and the block are read at once (each may wait on storage).
    const value = hash ? null : this.peer.core.getBuffer(index)
    const proof = this.peer.core.proof(index, nodes, hash, this.remoteTree)
    const frame = await this.prepareBlock(index, proof, value)
    if (frame === null || !this.peer.channel) return null
    this.peer.channel.data(frame)
    // The remote asked for it, so it stores it or ends the channel (as after a push): a push
    // planned before its Have arrives would send it twice.
    if (value !== null) this.peer.remoteBitfield.set(index, true)
    return frame.nodes
  }

  /** The Data frame for block `index` (or its hashes), or null when there is nothing to send. */
  private async prepareBlock(
    index: number,
    proving: Promise<Proof | null>,
    reading: Promise<Buffer> | null,
  ): Promise<OutgoingData | null> {
    const [proof, value] = await Promise.all([proving, reading])
    if (!proof) return null
    if (value !== null) {
      if (!this.peer.uploading || !this.peer.channel) return null
      countUpload(this.peer.stats, value.length)
      countUpload(this.peer.core.transferTotals, value.length)
      this.peer.core.emit('upload', index, value, this.peer)
    }
    if (index + 1 > this.peer.remoteLength) {
      this.peer.remoteLength = index + 1
      this.peer.updateEnd()
    }
    return { index, value, nodes: proof.nodes, signature: proof.signature }
  }

  /**
   * Whether block `index` may be pushed: the remote takes pushes and lacks it, we have it, and
   * it reads what we send (pushes are a head start it can do without; its requests are not).
   */
  private pushable(index: number): boolean {
    const channel = this.peer.channel
    if (this.peer.closed || !this.peer.uploading || !channel) return false
    if (!this.peer.remoteExtensions.includes(PUSH_EXTENSION)) return false
    if (channel.stream.backpressured) return false
    if (!Number.isSafeInteger(index) || index < 0) return false
    return !this.peer.remoteBitfield.get(index) && (this.peer.core.bitfield as Bitfield).get(index)
  }

  /**
   * A peer that takes pushes stores what verifies or ends the channel (it never drops a block
   * silently), so it now has the leaf, these nodes and the parents they prove: the next push
   * stops at them instead of repeating the uncles and a signature.
   */
  private pushed(index: number, nodes: readonly TreeNode[]): void {
    this.peer.remoteBitfield.set(index, true)
    setNode(this.remoteTree, 2 * index)
    for (const node of nodes) setNode(this.remoteTree, node.index)
  }

  /** A block the remote did not ask for, when it announced it stores pushed blocks. */
  async pushBlock(index: number): Promise<boolean> {
    if (!this.pushable(index)) return false
    const sent = await this.sendBlock(index, 0, false)
    if (sent === null) return false
    this.pushed(index, sent)
    return true
  }

  /**
   * Pushes several blocks; their frames are sent together once all are ready, so they leave in
   * one write. Proofs are planned in order first, each stopping at the nodes the earlier ones of
   * this batch carry, then every block and node is read at once (one wait on storage, not one
   * per block). The batch's nodes are credited to the remote only as the frames are sent:
   * anything sent meanwhile (another batch, an answer) is planned without them, since it may
   * reach the remote first.
   */
  async pushBlocks(indexes: readonly number[]): Promise<boolean[]> {
    const sent = indexes.map(() => false)
    const planned = new SparseTreeBits()
    const remote = this.remoteTree
    const plan: TreeBits = {
      getTree: (n) => remote.getTree(n) || planned.getTree(n),
      setTreeBit: (n, value) => planned.setTreeBit(n, value),
      get treeLength() {
        return Math.max(remote.treeLength, planned.treeLength)
      },
    }
    const core = this.peer.core
    const preparing: Promise<OutgoingData | null>[] = []
    const positions: number[] = []
    const batch = new Set<number>()
    for (let i = 0; i < indexes.length; i++) {
      const index = indexes[i]
      if (batch.has(index) || !this.pushable(index)) continue
      const proofPlan = core.planProof(index, 0, false, plan)
      if (proofPlan === null) continue
      batch.add(index)
      setNode(planned, 2 * index)
      for (const n of proofPlan.nodes) setNode(planned, n)
      const frame = this.prepareBlock(index, core.loadProof(proofPlan), core.getBuffer(index))
      preparing.push(frame.catch(() => null))
      positions.push(i)
    }
    const frames = await Promise.all(preparing)
    const channel = this.peer.channel
    if (channel === null || this.peer.closed) return sent
    for (let k = 0; k < frames.length; k++) {
      const frame = frames[k]
      // Later proofs may stop at this frame's nodes: without it they would not verify.
      if (frame === null) break
      this.pushed(frame.index, frame.nodes)
      channel.data(frame)
      sent[positions[k]] = true
    }
    return sent
  }
}
