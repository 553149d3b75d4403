// Presents a drive core as the TrieFeed @hyperstack/hypertrie reads and appends to, checking
// that blocks are bytes (hostile or mis-encoded cores give a typed error, not a crash).
import type {
  BlockSpan,
  TrieExtensionChannel,
  TrieExtensionHandlers,
  TrieFeed,
  TrieFeedGetOptions,
  TrieFeedUpdateOptions,
} from '@hyperstack/hypertrie'
import { BlockWindows } from './block-windows.js'
import type { DriveCore } from './drive-backend.js'
import { InvalidEncodingError } from './errors.js'

export function asBytes(v: unknown): Buffer {
  if (Buffer.isBuffer(v)) return v
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength)
  throw new InvalidEncodingError(`Expected a binary block, got ${typeof v}`)
}

export class CoreTrieFeed implements TrieFeed {
  readonly update?: (opts?: TrieFeedUpdateOptions) => Promise<unknown>
  readonly registerExtension?: (
    name: string,
    handlers: TrieExtensionHandlers,
  ) => TrieExtensionChannel
  readonly push?: (peer: unknown, index: number) => Promise<boolean>
  readonly pushBatch?: (peer: unknown, indexes: readonly number[]) => Promise<boolean[]>
  /** Window reads while listings run (null: the core cannot read ranges). */
  private readonly windows: BlockWindows | null
  private listings = 0

  constructor(readonly core: DriveCore) {
    const { update, registerExtension, push } = core
    if (update) this.update = (opts) => update.call(core, opts)
    if (registerExtension)
      this.registerExtension = (name, handlers) => registerExtension.call(core, name, handlers)
    if (push) this.push = (peer, index) => push.call(core, peer, index)
    const { pushBatch } = core
    if (pushBatch) this.pushBatch = (peer, indexes) => pushBatch.call(core, peer, indexes)
    const { getRange } = core
    this.windows = getRange
      ? new BlockWindows(
          {
            has: (start, end) => core.has(start, end),
            getRange: (start, end) => getRange.call(core, start, end),
          },
          () => core.length,
        )
      : null
  }

  /**
   * A listing starts: until its endListing(), blocks are read in windows (see BlockWindows).
   * Listings may overlap; the windows go when the last one ends.
   */
  beginListing(): void {
    this.listings++
  }

  endListing(): void {
    if (--this.listings === 0) this.windows?.clear()
  }

  get key(): Buffer | null {
    return this.core.key
  }
  get discoveryKey(): Buffer | null {
    return this.core.discoveryKey
  }
  get length(): number {
    return this.core.length
  }
  get writable(): boolean {
    return this.core.writable
  }
  get sparse(): boolean | undefined {
    return this.core.sparse
  }
  ready(): Promise<void> {
    return this.core.ready()
  }
  append(blocks: Buffer | Buffer[]): Promise<unknown> {
    return this.core.append(blocks)
  }
  /**
   * Block `index` now, when a running listing's window holds it (a trie can then decode the node
   * without a promise); null otherwise.
   */
  getCached(index: number): Uint8Array | null {
    return this.listings > 0 && this.windows !== null ? this.windows.peek(index) : null
  }

  /** getCached as the window's buffer and the block's place in it (no view per block). */
  getCachedSpan(index: number, span: BlockSpan): Uint8Array | null {
    return this.listings > 0 && this.windows !== null ? this.windows.peekSpan(index, span) : null
  }

  get(index: number, opts?: TrieFeedGetOptions): Promise<Uint8Array> {
    const windowed = this.listings > 0 && this.windows !== null ? this.windows.get(index) : null
    if (windowed === null) return this.read(index, opts)
    if (!(windowed instanceof Promise)) return Promise.resolve(windowed)
    return windowed.then((bytes) => bytes ?? this.read(index, opts))
  }

  private async read(index: number, opts?: TrieFeedGetOptions): Promise<Uint8Array> {
    return asBytes(await this.core.get(index, opts))
  }
  has(index: number): boolean | Promise<boolean> {
    return this.core.has(index)
  }
  replicate(): never {
    throw new InvalidEncodingError('Replicate the drive through its corestore, not its trie')
  }
  close(): Promise<void> {
    return this.core.close()
  }
  on(event: 'append' | 'close', listener: () => void): unknown {
    return this.core.on(event, listener)
  }
  removeListener(event: 'append' | 'close', listener: () => void): unknown {
    return this.core.removeListener(event, listener)
  }
}
