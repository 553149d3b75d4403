// One remote peer of one core on one channel: Have/Want exchange, requests, verified Data, as hypercore@9's Peer.
import type {
  Cancel,
  Channel,
  ChannelHandlers,
  Data,
  DataInput,
  Have,
  Options,
  Request,
  Status,
  Unhave,
  Unwant,
  Want,
} from '@hyperstack/hypercore-protocol'
import { decodeRle, encodeRle } from './bitfield-rle.js'
import type { Bitfield } from './bitfield.js'
import type { TreeNode } from './crypto.js'
import { HypercoreError, InvalidMessageError, UnrequestedDataError } from './errors.js'
import { type ExtensionPeer, PUSH_EXTENSION } from './feed-extensions.js'
import type { Download, Hypercore } from './hypercore.js'
import type { Proof, VerifiedPut } from './put.js'
import { MAX_REMOTE_INDEX, RemoteBitfield } from './remote-bitfield.js'
import { MemoryTreeBits, SparseTreeBits, type TreeBits, digest, setNode } from './tree-index.js'

/** A Data message to send, with the proof nodes it carries. */
type OutgoingData = DataInput & { nodes: TreeNode[] }

/** Verified blocks held back for their burst before a store starts anyway. */
const MAX_UNSTORED = 32

function noop(): void {}

/** A typed error for the peer's 'peer-error' (anything untyped becomes an invalid message). */
function asPeerError(err: unknown): Error {
  return err instanceof HypercoreError ? err : new InvalidMessageError(String(err))
}

/** Wants cover 1 MiB-block regions, as the original sends them. */
const WANT_REGION = 1024 * 1024
const MAX_INFLIGHT_WANTS = 16

export interface PeerOptions {
  live: boolean
  download: boolean
  upload: boolean
  maxRequests: number
}

interface InflightRequest {
  index: number
  hash: boolean
  /** Its Data arrived and waits in the verify queue (still counts against maxRequests). */
  arrived: boolean
}

/** What the peer needs from the replicator that owns it. */
export interface PeerHost {
  readonly core: Hypercore
  /** Blocks requested from any peer (so two peers are not asked for the same block). */
  readonly reserved: Set<number>
  updateAll(): void
  removePeer(peer: Peer, err: Error | null): void
}

export class Peer implements ChannelHandlers, ExtensionPeer {
  readonly host: PeerHost
  readonly core: Hypercore
  channel: Channel | null = null
  readonly remoteBitfield = new RemoteBitfield()
  remoteLength = 0
  remoteWant = false
  remoteOpened = false
  remoteUploading = true
  remoteDownloading = true
  remoteAck = false
  remoteExtensions: string[] = []
  downloading: boolean
  uploading: boolean
  readonly live: boolean
  readonly maxRequests: number
  readonly inflight = new Map<number, InflightRequest>()
  /** Why this peer was dropped (a typed error when it misbehaved). */
  error: Error | null = null
  private readonly remoteTree = new MemoryTreeBits()
  private readonly wants = new Set<number>()
  private inflightWants = 0
  private ended = false
  private destroyed = false
  private readonly defaultDownloading: boolean
  private dataChain: Promise<void> = Promise.resolve()
  /** Data messages queued on `dataChain` (extension messages after them wait their turn). */
  private dataPending = 0
  /** Verified blocks whose store waits for the rest of their burst (see `queueStore`). */
  private readonly toStore: {
    verified: VerifiedPut
    stored: () => void
    failed: (err: Error) => void
  }[] = []
  /** Stores started and not finished, and a promise of all of them. */
  private storing = 0
  private storesSettled: Promise<void> = Promise.resolve()
  private storesScheduled = false
  /**
   * Byte-offset requests in flight (oldest first). Their answer is hash-only Data for whatever
   * block the remote's seek found, so they are matched by arrival, not by index.
   */
  /** The byte offset answered last (repeats are dropped, as hypercore@9's responder does). */
  private lastBytes = 0
  private readonly seekInflight: { bytes: number; index: number }[] = []
  /** Blocks right after ones that just arrived (where download lanes continue). */
  private readonly continueAt: number[] = []

  constructor(host: PeerHost, opts: PeerOptions) {
    this.host = host
    this.core = host.core
    this.downloading = opts.download
    this.uploading = opts.upload
    this.live = opts.live
    this.maxRequests = opts.maxRequests
    this.defaultDownloading = this.downloading
  }

  get remotePublicKey(): Buffer | null {
    const stream = this.channel?.stream as { remotePublicKey?: Buffer | null } | undefined
    return stream?.remotePublicKey ?? null
  }

  // --- channel handlers ---

  onopen(): void {
    if (this.remoteOpened || this.destroyed) return
    this.remoteOpened = true
    const channel = this.channel
    if (!channel) return
    if (!this.uploading || !this.downloading) {
      channel.status({ uploading: this.uploading, downloading: this.downloading })
    }
    this.sendWants()
    this.core.emit('peer-open', this)
    this.update()
  }

  onoptions(options: Options): void {
    this.remoteAck = options.ack
    this.remoteExtensions = options.extensions
  }

  onstatus(info: Status): void {
    this.remoteUploading = info.uploading
    this.remoteDownloading = info.downloading
    if (!info.uploading) {
      for (const index of this.inflight.keys()) this.host.reserved.delete(index)
      this.inflight.clear()
      this.inflightWants = 0
      this.wants.clear()
    }
    this.update()
    if (info.downloading || this.live) return
    if (this.core.selections.length && this.downloading) return
    this.autoEnd()
  }

  onwant(want: Want): void {
    if (!this.uploading || !this.channel) return
    // The original answers only 8192-aligned regions (bitfield pages).
    if (want.start % 8192 || want.length % 8192) return
    const core = this.core
    const bitfield = core.bitfield as Bitfield
    if (!this.remoteWant && core.length && bitfield.get(core.length - 1)) {
      this.channel.have({ start: core.length - 1 })
    }
    this.remoteWant = true
    let length = want.length
    if (want.start + length > bitfield.length) length = Math.max(1, bitfield.length - want.start)
    const bits = bitfield.dataBits(want.start, length)
    this.channel.have({ start: want.start, length: want.length, bitfield: encodeRle(bits) })
  }

  onunwant(_want: Unwant): void {}

  oncancel(_cancel: Cancel): void {}

  onhave(have: Have): void {
    if (have.ack && !have.bitfield) return
    if (
      !Number.isSafeInteger(have.start) ||
      have.start < 0 ||
      have.start + have.length > MAX_REMOTE_INDEX
    ) {
      this.destroy(new InvalidMessageError(`Have message out of range (start ${have.start})`))
      return
    }
    if (have.length === WANT_REGION && have.bitfield && this.inflightWants > 0) this.inflightWants--
    if (have.bitfield) {
      let bits: Buffer
      try {
        bits = decodeRle(have.bitfield)
      } catch (err) {
        this.destroy(err as Error)
        return
      }
      if (have.start + bits.length * 8 > MAX_REMOTE_INDEX) {
        this.destroy(new InvalidMessageError('Have bitfield out of range'))
        return
      }
      const last = this.remoteBitfield.fill(bits, have.start)
      if (last + 1 > this.remoteLength) this.remoteLength = last + 1
    } else {
      const len = have.length || 1
      this.remoteBitfield.setRange(have.start, len, true)
      if (have.start + len > this.remoteLength) this.remoteLength = have.start + len
    }
    this.core.emit('remote-update', this)
    this.updateEnd()
    this.host.updateAll()
  }

  onunhave(unhave: Unhave): void {
    const len = unhave.length || 1
    if (unhave.start === 0 && len >= this.remoteLength) {
      this.remoteLength = 0
      this.remoteBitfield.clear()
      return
    }
    if (unhave.start + len > MAX_REMOTE_INDEX) return
    this.remoteBitfield.setRange(unhave.start, len, false)
  }

  onrequest(request: Request): void {
    if (!this.uploading || this.destroyed) return
    this.answer(request).catch((err: Error) => this.destroy(err))
  }

  private async answer(request: Request): Promise<void> {
    const core = this.core
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
    if (!Number.isSafeInteger(index) || index < 0) return
    if (!request.hash && !(core.bitfield as Bitfield).get(index)) return
    await this.sendBlock(index, nodes, request.hash)
  }

  /**
   * Sends block `index` (or only its hashes) with the proof the remote needs; resolves the proof
   * nodes sent, or null when nothing was sent.
   */
  private async sendBlock(index: number, nodes: number, hash: boolean): Promise<TreeNode[] | null> {
    // The proof and the block are read at once (each may wait on storage).
    const value = hash ? null : this.core.getBuffer(index)
    const proof = this.core.proof(index, nodes, hash, this.remoteTree)
    const frame = await this.prepareBlock(index, proof, value)
    if (frame === null || !this.channel) return null
    this.channel.data(frame)
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
      if (!this.uploading || !this.channel) return null
      this.core.emit('upload', index, value, this)
    }
    if (index + 1 > this.remoteLength) {
      this.remoteLength = index + 1
      this.updateEnd()
    }
    return { index, value, nodes: proof.nodes, signature: proof.signature }
  }

  /** Whether block `index` may be pushed: the remote takes pushes and lacks it, we have it. */
  private pushable(index: number): boolean {
    if (this.destroyed || !this.uploading || !this.channel) return false
    if (!this.remoteExtensions.includes(PUSH_EXTENSION)) return false
    if (!Number.isSafeInteger(index) || index < 0) return false
    return !this.remoteBitfield.get(index) && (this.core.bitfield as Bitfield).get(index)
  }

  /**
   * A peer that takes pushes stores what verifies or ends the channel (it never drops a block
   * silently), so it now has the leaf, these nodes and the parents they prove: the next push
   * stops at them instead of repeating the uncles and a signature.
   */
  private pushed(index: number, nodes: readonly TreeNode[]): void {
    this.remoteBitfield.set(index, true)
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
    const core = this.core
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
    const channel = this.channel
    if (channel === null || this.destroyed) return sent
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

  ondata(data: Data): void {
    if (this.destroyed) return
    const req = this.inflight.get(data.index)
    if (req && !req.arrived && (data.value !== null || req.hash)) {
      req.arrived = true
      // Verify and store in arrival order; a failure ends this peer's channel before anything is written.
      this.queueData(() => this.receive(data))
      return
    }
    if (data.value !== null && this.core.allowPush) {
      this.queueData(() => this.receivePushed(data))
      return
    }
    if (data.value === null && this.seekInflight.length) {
      // The answer to a byte-offset request (hash-only, for the block the remote's seek found).
      this.seekInflight.shift()
      this.queueData(() => this.receiveSeek(data))
      return
    }
    this.destroy(new UnrequestedDataError(`Data for block ${data.index} that was never requested`))
  }

  private queueData(run: () => Promise<void>): void {
    this.dataPending++
    this.dataChain = this.dataChain.then(run).finally(() => {
      this.dataPending--
      if (this.dataPending === 0) this.scheduleStores()
    })
  }

  /**
   * Stores a verified block once the Data messages queued with it are verified too (or a batch
   * is full): the one a reader waits for is then not behind the others' writes. Later proofs
   * rest on its nodes meanwhile (see Hypercore#verifyPut).
   */
  private queueStore(
    verified: VerifiedPut,
    stored: () => void,
    failed: (err: Error) => void,
  ): void {
    this.toStore.push({ verified, stored, failed })
    if (this.toStore.length >= MAX_UNSTORED) void this.flushStores()
  }

  /**
   * Starts the stores after this turn of the event loop: what the verified blocks woke (a lookup
   * sending its next request) goes first, and the stores' writes do not hold it up.
   */
  private scheduleStores(): void {
    if (this.storesScheduled || this.toStore.length === 0) return
    this.storesScheduled = true
    let started!: () => void
    const flushed = new Promise<void>((resolve) => {
      started = resolve
    })
    // Extension messages after these blocks wait for the flush and its stores.
    this.storesSettled = Promise.all([this.storesSettled, flushed]).then(noop)
    setImmediate(() => {
      this.storesScheduled = false
      this.flushStores().then(started)
    })
  }

  /** Starts the stores of the verified blocks waiting; resolves when they are done. */
  private flushStores(): Promise<void> {
    if (this.toStore.length === 0) return Promise.resolve()
    const stores: Promise<void>[] = []
    for (const { verified, stored, failed } of this.toStore.splice(0)) {
      this.storing++
      stores.push(
        this.core
          .storePut(verified, this)
          .then(stored, (err: unknown) => failed(asPeerError(err)))
          .finally(() => {
            this.storing--
          }),
      )
    }
    const batch = Promise.all(stores).then(noop)
    this.storesSettled = Promise.all([this.storesSettled, batch]).then(noop)
    return batch
  }

  /**
   * Verifies `data` (with `value`, or hash-only when null) and stores it; `failed` gets a typed
   * error when it does not verify or cannot be stored. A `burst` (pushed blocks, which come in
   * answers of a few) is stored once the messages queued with it are verified; anything else is
   * stored before the next message is verified, so a bulk download keeps flat memory and paces
   * its sender by our storage (deferring those measured 18% slower and +48 MiB on share-clone).
   */
  private async verifyThenStore(
    data: Data,
    value: Buffer | null,
    stored: () => void,
    failed: (err: Error) => void,
    burst: boolean,
  ): Promise<void> {
    let verified: VerifiedPut
    try {
      verified = await this.core.verifyPut(
        data.index,
        value,
        { nodes: data.nodes, signature: data.signature },
        this,
      )
    } catch (err) {
      failed(asPeerError(err))
      return
    }
    if (burst) {
      this.queueStore(verified, stored, failed)
      return
    }
    if (this.toStore.length > 0) {
      // Pushed blocks are waiting: store them first, in order, then this one.
      this.queueStore(verified, stored, failed)
      void this.flushStores()
      await this.storesSettled
      return
    }
    try {
      await this.core.storePut(verified, this)
    } catch (err) {
      failed(asPeerError(err))
      return
    }
    stored()
  }

  /** A block sent unasked (we announced allowPush): stored only when it verifies. */
  private async receivePushed(data: Data): Promise<void> {
    if (this.destroyed || (this.core.bitfield as Bitfield).get(data.index)) return
    await this.verifyThenStore(
      data,
      data.value,
      () => {
        this.remoteBitfield.set(data.index, true)
        this.host.updateAll()
      },
      (err) => this.destroy(err),
      true,
    )
  }

  private async receiveSeek(data: Data): Promise<void> {
    if (this.destroyed) return
    await this.verifyThenStore(
      data,
      null,
      () => this.host.updateAll(),
      (err) => this.destroy(err),
      false,
    )
  }

  private async receive(data: Data): Promise<void> {
    if (this.destroyed) return
    const settle = () => {
      this.inflight.delete(data.index)
      this.host.reserved.delete(data.index)
    }
    await this.verifyThenStore(
      data,
      data.value,
      () => {
        settle()
        if (data.value) {
          this.remoteBitfield.set(data.index, true)
          if (this.continueAt.length >= this.maxRequests) this.continueAt.shift()
          this.continueAt.push(data.index + 1)
        }
        this.host.updateAll()
      },
      (err) => {
        settle()
        this.destroy(err)
      },
      false,
    )
  }

  onextension(id: number, message: Buffer): void {
    // After the blocks that arrived before it are stored, so a handler finds them (pushes).
    if (
      this.dataPending === 0 &&
      this.storing === 0 &&
      this.toStore.length === 0 &&
      !this.storesScheduled
    ) {
      this.core.extensions.onmessage(this, id, message)
      return
    }
    this.dataChain = this.dataChain
      .then(() => this.storesSettled)
      .then(() => {
        if (!this.destroyed) this.core.extensions.onmessage(this, id, message)
      })
  }

  onclose(): void {
    this.close(null)
  }

  // --- feed extensions ---

  sendOptions(names: string[]): void {
    this.channel?.options({ extensions: names, ack: false })
  }

  sendExtension(id: number, payload: Uint8Array): void {
    this.channel?.extension(id, payload)
  }

  // --- called by the core / replicator ---

  /** Tells the remote about new local blocks (only once it asked with a Want). */
  have(start: number, length: number): void {
    if (!this.channel || !this.remoteWant) return
    this.channel.have(length > 1 ? { start, length } : { start })
  }

  unhave(start: number, length: number): void {
    if (!this.channel || !this.remoteWant) return
    this.channel.unhave({ start, length })
  }

  setDownloading(downloading: boolean): void {
    if (downloading === this.downloading) return
    this.downloading = downloading
    this.channel?.status({ downloading, uploading: this.uploading })
    this.update()
  }

  setUploading(uploading: boolean): void {
    if (uploading === this.uploading) return
    this.uploading = uploading
    this.channel?.status({ downloading: this.downloading, uploading })
    this.update()
  }

  /** Sends requests for what the core wants and this peer has. */
  update(): void {
    if (this.destroyed || !this.channel || !this.remoteOpened) return
    if (this.downloading && this.remoteUploading) this.schedule()
    if (this.inflight.size < this.maxRequests + 16) this.sendWants()
  }

  private schedule(): void {
    const core = this.core
    const bitfield = core.bitfield
    if (!bitfield) return
    const reserved = this.host.reserved
    const urgent = this.maxRequests + 16
    // 1. blocks someone is waiting for (get).
    for (const index of core.waiters.wantedBlocks()) {
      if (this.inflight.size >= urgent) return
      if (bitfield.get(index) || reserved.has(index) || !this.remoteBitfield.get(index)) continue
      this.request(index, false)
    }
    // 2. lengths someone is waiting for (update): a hash-only request for a block at or past it.
    const wantedLength = core.waiters.wantedLength()
    if (
      wantedLength > core.length &&
      this.remoteLength >= wantedLength &&
      this.inflight.size < urgent
    ) {
      const i = this.remoteBitfield.next(
        wantedLength - 1,
        this.remoteLength,
        (n) => !reserved.has(n),
      )
      if (i > -1) this.request(i, true)
    }
    // 3. seeks into tree nodes we lack: one byte-offset request per offset (answered hash-only).
    for (const seek of core.waiters.wantedSeeks()) {
      if (this.inflight.size + this.seekInflight.length >= urgent) return
      if (this.seekInflight.some((s) => s.bytes === seek.bytes)) continue
      const end = Math.min(seek.end, this.remoteLength)
      const i = this.remoteBitfield.next(seek.start, end, () => true)
      if (i === -1) continue
      this.requestBytes(seek.bytes, i)
    }
    // 4. download selections.
    const selections = core.selections
    for (let k = 0; k < selections.length && this.inflight.size < this.maxRequests; k++) {
      this.downloadSelection(selections[k])
    }
  }

  private downloadSelection(sel: Download): void {
    const core = this.core
    const bitfield = core.bitfield as Bitfield
    const reserved = this.host.reserved
    const wanted = (i: number) => !bitfield.get(i) && !reserved.has(i)
    if (sel.blocks) {
      for (const b of sel.blocks) {
        if (this.inflight.size >= this.maxRequests) return
        if (this.remoteBitfield.get(b) && wanted(b)) this.request(b, false)
      }
      return
    }
    const end = Math.min(sel.end === -1 ? this.remoteLength : sel.end, this.remoteLength)
    while (sel.cursor < end && bitfield.get(sel.cursor)) sel.cursor++
    let from = Math.max(sel.start, sel.cursor)
    if (!sel.linear) {
      this.downloadLanes(from, end, wanted)
      return
    }
    while (this.inflight.size < this.maxRequests) {
      const i = this.remoteBitfield.next(from, end, wanted)
      if (i === -1) break
      this.request(i, false)
      from = i + 1
    }
  }

  /**
   * A non-linear range downloads in lanes: each arrival continues its lane with the next block,
   * whose proof is then one sibling (the lane's previous block brought the uncles), and new lanes
   * start spread over the range, so in-flight proofs do not all repeat the same uncles (requests
   * for neighbours sent together each carry the whole path; hypercore@9 spreads them at random).
   */
  private downloadLanes(from: number, end: number, wanted: (i: number) => boolean): void {
    const remote = this.remoteBitfield
    while (this.continueAt.length && this.inflight.size < this.maxRequests) {
      const next = this.continueAt.shift() as number
      if (next >= from && next < end && remote.get(next) && wanted(next)) this.request(next, false)
    }
    const free = this.maxRequests - this.inflight.size
    for (let k = 0; k < free; k++) {
      // The first lane starts at the lowest missing block, so a lane that ran into downloaded
      // blocks is replaced there (a short scan), not somewhere costly to search.
      const at = from + Math.floor((k * (end - from)) / free)
      let i = remote.next(at, end, wanted)
      if (i === -1 && at > from) i = remote.next(from, at, wanted)
      if (i === -1) return
      this.request(i, false)
    }
  }

  private request(index: number, hash: boolean): void {
    const channel = this.channel
    if (!channel) return
    this.host.reserved.add(index)
    this.inflight.set(index, { index, hash, arrived: false })
    const nodes = digest(this.core.treeBits, 2 * index)
    channel.request({ index, hash, nodes })
  }

  private requestBytes(bytes: number, index: number): void {
    const channel = this.channel
    if (!channel) return
    this.seekInflight.push({ bytes, index })
    const nodes = digest(this.core.treeBits, 2 * index)
    channel.request({ index, bytes, hash: true, nodes })
  }

  private sendWants(): void {
    if (!this.downloading || !this.remoteOpened || !this.remoteUploading || !this.channel) return
    if (this.inflightWants >= MAX_INFLIGHT_WANTS) return
    for (const index of this.core.waiters.wantedBlocks()) {
      this.sendWant(index)
      if (this.inflightWants >= MAX_INFLIGHT_WANTS) return
    }
    for (const sel of this.core.selections) {
      if (sel.blocks) {
        for (const b of sel.blocks) this.sendWant(b)
      } else {
        let want = Math.floor(sel.start / WANT_REGION) * WANT_REGION
        while (want < this.remoteLength && (sel.end === -1 || want < sel.end)) {
          this.sendWant(want)
          if (this.inflightWants >= MAX_INFLIGHT_WANTS) return
          want += WANT_REGION
        }
      }
    }
    this.sendWant(0)
  }

  private sendWant(index: number): boolean {
    const region = Math.floor(index / WANT_REGION)
    if (this.wants.has(region)) return false
    this.wants.add(region)
    this.inflightWants++
    this.channel?.want({ start: region * WANT_REGION, length: WANT_REGION })
    return true
  }

  /** A non-live download ends at the longest length a peer has (the original's `_updateEnd`). */
  updateEnd(): void {
    if (this.live || this.core.sparse || !this.core.selections.length) return
    const sel = this.core.selections[0]
    if (!sel.implicit) return
    let remoteLength = this.core.length || -1
    for (const peer of this.core.replicatorPeers()) {
      if (peer.remoteLength > remoteLength) remoteLength = peer.remoteLength
    }
    sel.end = remoteLength
    if (sel.end > -1 && sel.isComplete(this.core.bitfield as Bitfield, this.core.length)) {
      this.core.finishSelection(sel)
      if (!this.live && !this.core.sparse && !this.core.selections.length) this.end()
    }
  }

  /** Called when a selection completed: a non-live peer may stop downloading. */
  onSelectionsChanged(): void {
    if (!this.live && !this.core.sparse && !this.core.selections.length && this.remoteOpened)
      this.end()
  }

  private autoEnd(): void {
    if (this.uploading && this.remoteDownloading) return
    if ((this.core.sparse || this.live) && (this.remoteUploading || this.downloading)) return
    this.end()
  }

  private end(): void {
    if (!this.downloading && !this.remoteDownloading && !this.live) {
      if (!this.defaultDownloading) this.channel?.status({ downloading: false, uploading: false })
      this.close(null)
      return
    }
    if (!this.ended) {
      this.ended = true
      this.downloading = false
      this.channel?.status({ downloading: false, uploading: true })
    } else if (!this.live) {
      this.close(null)
    }
  }

  /** Ends this peer's channel with a typed error (hostile or broken peer); nothing it sent is stored. */
  destroy(err: Error): void {
    if (this.destroyed) return
    this.error = err
    this.close(err)
  }

  /** Closes the channel and forgets the peer. */
  close(err: Error | null): void {
    if (this.destroyed) return
    this.destroyed = true
    for (const index of this.inflight.keys()) this.host.reserved.delete(index)
    this.inflight.clear()
    this.channel?.close()
    this.host.removePeer(this, err)
  }
}
