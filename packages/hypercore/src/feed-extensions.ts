// Feed-level extensions (hypercore@9's registerExtension): names announced in Options, ids by sorted position.
import { type Codec, type ValueEncoding, toCodec } from './codecs.js'
import { InvalidArgumentError } from './errors.js'

/** Announced by cores opened with `allowPush`: they store verified blocks sent unasked. */
export const PUSH_EXTENSION = 'hyperstack/push'

/** The part of a peer extensions talk to. */
export interface ExtensionPeer {
  remoteExtensions: string[]
  sendOptions(names: string[]): void
  sendExtension(id: number, payload: Uint8Array): void
  /** Sends a block unasked when the remote accepts pushes (see `Hypercore#push`). */
  pushBlock?(index: number): Promise<boolean>
  /** Several pushes whose frames leave together (see `Hypercore#pushBatch`). */
  pushBlocks?(indexes: readonly number[]): Promise<boolean[]>
}

export interface FeedExtensionHandlers<T = unknown> {
  encoding?: ValueEncoding
  onmessage?(message: T, peer: ExtensionPeer): void
  onerror?(err: unknown, peer: ExtensionPeer): void
}

export class FeedExtension<T = unknown> {
  readonly name: string
  readonly handlers: FeedExtensionHandlers<T>
  readonly codec: Codec
  private readonly owner: FeedExtensions

  constructor(owner: FeedExtensions, name: string, handlers: FeedExtensionHandlers<T>) {
    this.owner = owner
    this.name = name
    this.handlers = handlers
    this.codec = toCodec(handlers.encoding)
  }

  /** Sends to one peer. */
  send(message: T, peer: ExtensionPeer): void {
    const id = this.owner.idOf(this)
    if (id === -1) return
    peer.sendExtension(id, this.codec.encode(message))
  }

  /** Sends to every connected peer. */
  broadcast(message: T): void {
    this.broadcastValue(message)
  }

  /** `broadcast` for a message only checked by the codec (hypercore@9's `feed.extension`). */
  broadcastValue(message: unknown): void {
    const id = this.owner.idOf(this)
    if (id === -1) return
    const payload = this.codec.encode(message)
    for (const peer of this.owner.peers()) peer.sendExtension(id, payload)
  }

  destroy(): void {
    this.owner.remove(this)
  }
}

export class FeedExtensions {
  private list: FeedExtension<never>[] = []
  private readonly getPeers: () => Iterable<ExtensionPeer>

  constructor(getPeers: () => Iterable<ExtensionPeer>) {
    this.getPeers = getPeers
  }

  get length(): number {
    return this.list.length
  }

  peers(): Iterable<ExtensionPeer> {
    return this.getPeers()
  }

  names(): string[] {
    return this.list.map((e) => e.name)
  }

  /** The registered extension called `name`, if any. */
  get(name: string): FeedExtension<never> | undefined {
    return this.list.find((e) => e.name === name)
  }

  idOf(ext: FeedExtension<never>): number {
    return this.list.indexOf(ext)
  }

  add<T>(name: string, handlers: FeedExtensionHandlers<T>): FeedExtension<T> {
    if (typeof name !== 'string' || !name)
      throw new InvalidArgumentError('Extension name must be a string')
    if (this.list.some((e) => e.name === name)) {
      throw new InvalidArgumentError(`Cannot add multiple extensions with the same name: ${name}`)
    }
    const ext = new FeedExtension<T>(this, name, handlers)
    this.list.push(ext as unknown as FeedExtension<never>)
    this.list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    this.announceAll()
    return ext
  }

  remove(ext: FeedExtension<never>): void {
    const i = this.list.indexOf(ext)
    if (i === -1) return
    this.list.splice(i, 1)
    this.announceAll()
  }

  private announceAll(): void {
    const names = this.names()
    for (const peer of this.getPeers()) peer.sendOptions(names)
  }

  /** Routes a received frame by the remote's announced names. */
  onmessage(peer: ExtensionPeer, id: number, payload: Buffer): void {
    const name = peer.remoteExtensions[id]
    if (name === undefined) return
    const ext = this.list.find((e) => e.name === name)
    if (!ext) return
    let message: unknown
    try {
      message = ext.codec.decode(payload)
    } catch (err) {
      ext.handlers.onerror?.(err, peer)
      return
    }
    ;(ext.handlers as FeedExtensionHandlers<unknown>).onmessage?.(message, peer)
  }
}
