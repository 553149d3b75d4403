// Named extensions (abstract-extension@3 semantics): each side keeps its names sorted, an id is the
// position in the SENDER's sorted list, and the receiver maps ids through the sender's last list.
import { InvalidArgumentError } from './errors.js'

/** How an extension's messages are turned into bytes and back. */
export interface ExtensionEncoding<T> {
  encode(message: T): Uint8Array
  decode(buf: Buffer): T
}

export type ExtensionEncodingName = 'binary' | 'utf-8' | 'utf8' | 'json'

export interface ExtensionHandlers<T = Buffer> {
  /** 'binary' (default), 'utf-8', 'json', or a custom codec. */
  encoding?: ExtensionEncodingName | ExtensionEncoding<T>
  onmessage?(message: T, context: unknown): void
  /** Called when a message does not decode with `encoding` (it is then dropped). */
  onerror?(err: unknown, context: unknown): void
}

const BINARY: ExtensionEncoding<unknown> = {
  encode: (m) => {
    if (m instanceof Uint8Array) return m
    if (typeof m === 'string') return Buffer.from(m)
    throw new InvalidArgumentError('A binary extension message must be a Uint8Array or string')
  },
  decode: (buf) => buf,
}
const UTF8: ExtensionEncoding<unknown> = {
  encode: (m) => Buffer.from(String(m)),
  decode: (buf) => buf.toString('utf-8'),
}
const JSON_ENCODING: ExtensionEncoding<unknown> = {
  encode: (m) => Buffer.from(JSON.stringify(m)),
  decode: (buf) => JSON.parse(buf.toString('utf-8')),
}

function resolveEncoding<T>(enc: ExtensionHandlers<T>['encoding']): ExtensionEncoding<T> {
  if (enc === undefined || enc === 'binary') return BINARY as ExtensionEncoding<T>
  if (enc === 'utf-8' || enc === 'utf8') return UTF8 as ExtensionEncoding<T>
  if (enc === 'json') return JSON_ENCODING as ExtensionEncoding<T>
  if (typeof enc === 'object' && typeof enc.encode === 'function') return enc
  throw new InvalidArgumentError(`Unknown extension encoding ${String(enc)}`)
}

/** What the registry needs of an extension, whatever its message type. */
interface RegisteredExtension {
  readonly name: string
  id: number
  receive(payload: Buffer, context: unknown): void
}

/** One registered extension. `send` is bound by the owner (stream or channel). */
export class Extension<T = Buffer> implements RegisteredExtension {
  readonly name: string
  /** Position in the local sorted list; -1 once destroyed. */
  id = 0
  readonly encoding: ExtensionEncoding<T>
  readonly handlers: ExtensionHandlers<T>
  private registry: ExtensionRegistry | null
  private readonly sender: (ext: Extension<T>, payload: Uint8Array) => boolean

  constructor(
    registry: ExtensionRegistry,
    name: string,
    handlers: ExtensionHandlers<T>,
    sender: (ext: Extension<T>, payload: Uint8Array) => boolean,
  ) {
    this.registry = registry
    this.name = name
    this.handlers = handlers
    this.encoding = resolveEncoding(handlers.encoding)
    this.sender = sender
  }

  get destroyed(): boolean {
    return this.registry === null
  }

  /** Encodes and sends `message`; returns false when the stream is backed up. */
  send(message: T): boolean {
    if (this.registry === null) return false
    return this.sender(this, this.encoding.encode(message))
  }

  /** Whether the remote announced an extension of this name. */
  remoteSupports(): boolean {
    return this.registry?.remoteSupports(this) ?? false
  }

  /** Decodes and delivers one received payload. */
  receive(payload: Buffer, context: unknown): void {
    const onmessage = this.handlers.onmessage
    if (!onmessage) return
    let message: T
    try {
      message = this.encoding.decode(payload)
    } catch (err) {
      this.handlers.onerror?.(err, context)
      return
    }
    onmessage.call(this.handlers, message, context)
  }

  destroy(): void {
    if (this.registry === null) return
    this.registry.remove(this)
    this.registry = null
    this.id = -1
  }
}

/** The local sorted list plus the remote's last announced list, merge-joined on demand. */
export class ExtensionRegistry {
  readonly local: RegisteredExtension[] = []
  /** Bumped on every change so the owner knows to re-announce its names. */
  changes = 1
  private remoteNames: string[] | null = null
  private remoteMap: (RegisteredExtension | undefined)[] | null = null
  private mapChanges = 0

  add<T>(
    name: string,
    handlers: ExtensionHandlers<T>,
    sender: (ext: Extension<T>, payload: Uint8Array) => boolean,
  ): Extension<T> {
    if (typeof name !== 'string') throw new InvalidArgumentError('Extension name must be a string')
    if (this.local.some((e) => e.name === name)) {
      throw new InvalidArgumentError(`Cannot add multiple extensions with the same name: ${name}`)
    }
    const ext = new Extension<T>(this, name, handlers, sender)
    this.local.push(ext)
    this.reindex()
    return ext
  }

  remove(ext: RegisteredExtension): void {
    const i = this.local.indexOf(ext)
    if (i === -1) return
    this.local.splice(i, 1)
    this.reindex()
  }

  names(): string[] {
    return this.local.map((e) => e.name)
  }

  /** The remote's Options.extensions (its sorted list, which fixes its ids). */
  updateRemote(names: string[]): void {
    this.remoteNames = names
    this.mapChanges = 0
  }

  remoteSupports(ext: RegisteredExtension): boolean {
    return this.map()?.includes(ext) ?? false
  }

  /** Delivers an extension frame by the sender's id; unknown ids are dropped as the original. */
  receive(id: number, payload: Buffer, context: unknown): void {
    const ext = this.map()?.[id]
    if (ext) ext.receive(payload, context)
  }

  private map(): (RegisteredExtension | undefined)[] | null {
    if (this.mapChanges !== this.changes) {
      this.remoteMap = this.remoteNames ? matchNames(this.local, this.remoteNames) : null
      this.mapChanges = this.changes
    }
    return this.remoteMap
  }

  private reindex(): void {
    this.local.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (let i = 0; i < this.local.length; i++) this.local[i].id = i
    this.changes++
  }
}

/** Merge-join of two sorted name lists: remote id -> local extension of the same name. */
function matchNames(
  local: RegisteredExtension[],
  remote: string[],
): (RegisteredExtension | undefined)[] {
  const map = new Array<RegisteredExtension | undefined>(remote.length)
  let i = 0
  let j = 0
  while (i < local.length && j < remote.length) {
    const l = local[i].name
    const r = remote[j]
    if (l < r) i++
    else if (l > r) j++
    else map[j++] = local[i]
  }
  return map
}
