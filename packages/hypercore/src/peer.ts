// One remote peer of one core on one channel: Have/Want exchange, requests, verified Data, as hypercore@9's Peer.
import type {
  Cancel,
  Channel,
  ChannelHandlers,
  Data,
  Have,
  Options,
  Request,
  Status,
  Unhave,
  Unwant,
  Want,
} from '@hyperstack/hypercore-protocol'
import { encodeRle, rleRuns } from './bitfield-rle.js'
import type { Bitfield } from './bitfield.js'
import { InvalidMessageError, UnrequestedDataError } from './errors.js'
import type { ExtensionPeer } from './feed-extensions.js'
import type { Download, Hypercore } from './hypercore.js'
import { IncomingData } from './peer-incoming.js'
import { Uploads } from './peer-uploads.js'
import { MAX_REMOTE_INDEX, RemoteBitfield } from './remote-bitfield.js'
import { type TransferStats, countDownload, newTransferStats } from './transfer-stats.js'
import { digest } from './tree-index.js'

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
  /** What this peer sent us and we sent it (blocks stored, blocks uploaded). */
  readonly stats: TransferStats = newTransferStats()
  private readonly wants = new Set<number>()
  private inflightWants = 0
  private ended = false
  private destroyed = false
  private readonly uploads = new Uploads(this)
  private readonly defaultDownloading: boolean
  private readonly incoming: IncomingData
  /**
   * Byte-offset requests in flight (oldest first). Their answer is hash-only Data for whatever
   * block the remote's seek found, so they are matched by arrival, not by index.
   */
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
    this.incoming = new IncomingData(this.core, this)
  }

  /** True once the channel closed or the peer was dropped. */
  get closed(): boolean {
    return this.destroyed
  }

  get remotePublicKey(): Buffer | null {
    return this.channel?.stream.remotePublicKey ?? null
  }

  /** The remote's address when the stream is piped to a socket (hypercore@9's remoteAddress). */
  get remoteAddress(): string | null {
    return this.channel?.stream.remoteAddress ?? null
  }

  /** 'tcp', 'utp' or 'unknown' for a socket; null otherwise (hypercore@9's remoteType). */
  get remoteType(): 'utp' | 'tcp' | 'unknown' | null {
    return this.channel?.stream.remoteType ?? null
  }

  // --- channel handlers ---

  onopen(): void {
    if (this.remoteOpened || this.destroyed) return
    this.remoteOpened = true
    const channel = this.channel
    if (!channel) return
    // Options go once the remote has opened too, as hypercore@9 sends them: until then the
    // remote has no handlers for this channel and drops them (a core still opening when its
    // stream began would never learn our extension names).
    const names = this.core.extensions.names()
    if (names.length) this.sendOptions(names)
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
    this.uploads.takeWant(() => this.answerWant(want))
  }

  /** Sends the Have a Want asks for: the bitfield of that region (its answer to the Want). */
  private answerWant(want: Want): void {
    if (!this.uploading || !this.channel) return
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
    try {
      if (have.bitfield) {
        // At most the bytes that keep the Have below MAX_REMOTE_INDEX; runs of ones stay runs.
        const runs = rleRuns(have.bitfield, Math.floor((MAX_REMOTE_INDEX - have.start) / 8))
        const last = this.remoteBitfield.applyRuns(runs, have.start)
        if (last + 1 > this.remoteLength) this.remoteLength = last + 1
      } else {
        const len = have.length || 1
        this.remoteBitfield.setRange(have.start, len, true)
        if (have.start + len > this.remoteLength) this.remoteLength = have.start + len
      }
    } catch (err) {
      // A malformed bitfield, or announcements over the page budget.
      this.destroy(err as Error)
      return
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
    if (!Number.isSafeInteger(unhave.start) || unhave.start + len > MAX_REMOTE_INDEX) return
    try {
      this.remoteBitfield.setRange(unhave.start, len, false)
    } catch (err) {
      this.destroy(err as Error)
    }
  }

  onrequest(request: Request): void {
    if (!this.uploading || this.destroyed) return
    this.uploads.take(request)
  }

  /** A block the remote did not ask for, when it announced it stores pushed blocks. */
  pushBlock(index: number): Promise<boolean> {
    return this.uploads.pushBlock(index)
  }

  /** Several pushed blocks whose frames leave together (see Uploads#pushBlocks). */
  pushBlocks(indexes: readonly number[]): Promise<boolean[]> {
    return this.uploads.pushBlocks(indexes)
  }

  ondata(data: Data): void {
    if (this.destroyed) return
    const req = this.inflight.get(data.index)
    if (req && !req.arrived && (data.value !== null || req.hash)) {
      req.arrived = true
      // Verify and store in arrival order; a failure ends this peer's channel before anything is written.
      this.incoming.queue(() => this.receive(data))
      return
    }
    if (data.value !== null && this.core.allowPush) {
      // Reserved until stored (or refused), so a get meanwhile does not request what is here.
      const reserved = this.host.reserved
      const reserving = !reserved.has(data.index)
      if (reserving) reserved.add(data.index)
      const release = () => {
        if (reserving) reserved.delete(data.index)
      }
      this.incoming.queue(() => this.receivePushed(data, release))
      return
    }
    if (data.value === null && this.seekInflight.length) {
      // The answer to a byte-offset request (hash-only, for the block the remote's seek found).
      this.seekInflight.shift()
      this.incoming.queue(() => this.receiveSeek(data))
      return
    }
    this.destroy(new UnrequestedDataError(`Data for block ${data.index} that was never requested`))
  }

  /**
   * A block sent unasked (we announced allowPush): stored only when it verifies. `release` runs
   * once it is stored, refused or not needed.
   */
  private async receivePushed(data: Data, release: () => void): Promise<void> {
    if (this.destroyed || (this.core.bitfield as Bitfield).get(data.index)) {
      release()
      return
    }
    await this.incoming.verifyThenStore(
      data,
      data.value,
      () => {
        release()
        if (data.value) countDownload(this.stats, data.value.length)
        this.remoteBitfield.set(data.index, true)
        this.host.updateAll()
      },
      (err) => {
        release()
        this.destroy(err)
      },
      true,
    )
  }

  private async receiveSeek(data: Data): Promise<void> {
    if (this.destroyed) return
    await this.incoming.verifyThenStore(
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
    await this.incoming.verifyThenStore(
      data,
      data.value,
      () => {
        settle()
        if (data.value) {
          countDownload(this.stats, data.value.length)
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
    // After the blocks that arrived before it are stored, so a handler finds them (pushes). A
    // handler that throws ends this peer's channel, as it would have ended the stream.
    this.incoming.afterPending(
      () => {
        if (!this.destroyed) this.core.extensions.onmessage(this, id, message)
      },
      (err) => this.destroy(err),
    )
  }

  onclose(): void {
    this.close(null)
  }

  // --- feed extensions ---

  /** Announces our extension names (held back until the remote opened: see onopen). */
  sendOptions(names: string[]): void {
    if (!this.remoteOpened) return
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
