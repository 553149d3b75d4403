// Presents a drive core as the TrieFeed @hyperstack/hypertrie reads and appends to, checking
// that blocks are bytes (hostile or mis-encoded cores give a typed error, not a crash).
import type {
  TrieExtensionChannel,
  TrieExtensionHandlers,
  TrieFeed,
  TrieFeedGetOptions,
  TrieFeedUpdateOptions,
} from '@hyperstack/hypertrie'
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

  constructor(readonly core: DriveCore) {
    const { update, registerExtension, push } = core
    if (update) this.update = (opts) => update.call(core, opts)
    if (registerExtension)
      this.registerExtension = (name, handlers) => registerExtension.call(core, name, handlers)
    if (push) this.push = (peer, index) => push.call(core, peer, index)
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
  async get(index: number, opts?: TrieFeedGetOptions): Promise<Uint8Array> {
    return asBytes(await this.core.get(index, opts))
  }
  has(index: number): boolean | Promise<boolean> {
    return this.core.has(index)
  }
  replicate(): unknown {
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
