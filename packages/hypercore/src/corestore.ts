// Corestore: a factory of Hypercores in one folder, with named cores derived from a master key,
// namespaces, one cache per folder and replication of every core over one stream — compatible
// with corestore@5.8.2 (the version hyperdrive@10 uses), with promises instead of callbacks.
import { EventEmitter } from 'node:events'
import type { ProtocolStream } from '@hyperstack/hypercore-protocol'
import { CorestoreClosedError } from './corestore-errors.js'
import { DEFAULT_NAME, namespaceName } from './corestore-keys.js'
import {
  CoreRegistry,
  type CorestoreGetOptions,
  type CorestoreOptions,
  normaliseGetOptions,
} from './corestore-registry.js'
import type { CorestoreReplicateOptions } from './corestore-replication.js'
import type { CorestoreStorageFunction } from './corestore-storage.js'
import { emitErrorIfHeard } from './emit-error.js'
import type { Hypercore } from './hypercore.js'

export * from './corestore-errors.js'
export { CORESTORE_DEFAULTS } from './corestore-registry.js'
export type { CorestoreGetOptions, CorestoreOptions } from './corestore-registry.js'
export type { CorestoreReplicateOptions } from './corestore-replication.js'
export type { CorestoreStorageFunction } from './corestore-storage.js'

type CorestoreEvents = {
  /** A core opened through any store of this folder finished opening. */
  feed: [core: Hypercore, opts: CorestoreGetOptions]
  error: [err: Error]
}

/** How a namespace is tied to the store it came from (not for callers). */
interface NamespaceLink {
  registry: CoreRegistry
  parent: Corestore
  name: string
}

export class Corestore extends EventEmitter<CorestoreEvents> {
  /** The storage given to the constructor (folder path or storage function). */
  readonly storage: string | CorestoreStorageFunction
  /** The name `default()` derives from: "default", or the namespace's name. */
  readonly name: string
  private readonly registry: CoreRegistry
  private readonly parent: Corestore | null
  private readonly isNamespaced: boolean
  /** Cores this store holds a reference on, by discovery key (hex). */
  private readonly openedCores = new Map<string, Hypercore>()
  private readonly unlisten: () => void
  private closePromise: Promise<void> | null = null
  private isClosed = false

  constructor(
    storage: string | CorestoreStorageFunction,
    opts: CorestoreOptions = {},
    link?: NamespaceLink,
  ) {
    super()
    this.storage = storage
    this.registry = link ? link.registry : new CoreRegistry(storage, opts)
    this.parent = link ? link.parent : null
    this.name = link?.name || DEFAULT_NAME
    this.isNamespaced = !!link?.name

    const onfeed = (core: Hypercore, coreOpts: CorestoreGetOptions) =>
      this.emit('feed', core, coreOpts)
    const onerror = (err: Error) => emitErrorIfHeard(this, err)
    this.registry.on('feed', onfeed)
    this.registry.on('error', onerror)
    this.unlisten = () => {
      this.registry.off('feed', onfeed)
      this.registry.off('error', onerror)
    }
  }

  get opened(): boolean {
    return this.registry.opened
  }

  get closed(): boolean {
    return this.isClosed
  }

  /** Loads (or creates) the master key. Idempotent; must resolve before `get`. */
  ready(): Promise<void> {
    if (this.isClosed || this.registry.closed) return Promise.reject(new CorestoreClosedError())
    return this.registry.open()
  }

  /**
   * The Hypercore for `opts` (see CorestoreGetOptions; bytes or a hex string mean `{ key }`).
   * One instance per core across this folder's stores; call its `ready()` before use.
   */
  get(opts?: CorestoreGetOptions | Uint8Array | string | null): Hypercore {
    if (this.isClosed) throw new CorestoreClosedError()
    const { core, id } = this.registry.get(normaliseGetOptions(opts))
    if (!this.openedCores.has(id)) {
      this.openedCores.set(id, core)
      this.registry.cache.increment(id)
    }
    return core
  }

  /** This store's default core: named "default", or the namespace's name. */
  default(opts?: CorestoreGetOptions | Uint8Array | string | null): Hypercore {
    return this.get({ ...normaliseGetOptions(opts), name: this.name })
  }

  /**
   * A store whose `default()` and names derive from `name` (nested: "outer:inner"), sharing this
   * one's folder, cache and replication. Bytes are hex-encoded; no name is 32 random bytes.
   */
  namespace(name?: string | Uint8Array | null): Corestore {
    const full = namespaceName(this.isNamespaced ? this.name : null, name)
    return new Corestore(this.storage, {}, { registry: this.registry, parent: this, name: full })
  }

  /**
   * One protocol stream carrying this store's cores (the root store: every referenced core of
   * the folder), cores opened later, and any stored core the remote asks for by discovery key.
   */
  replicate(isInitiator: boolean, opts: CorestoreReplicateOptions = {}): ProtocolStream {
    if (this.isClosed) throw new CorestoreClosedError()
    const cores =
      this.parent === null ? this.registry.cache.referenced() : this.openedCores.values()
    return this.registry.replicate(isInitiator, cores, opts)
  }

  /** Whether the core `opts` names is open in this folder's cache. */
  isLoaded(opts: CorestoreGetOptions | Uint8Array | string): boolean {
    return this.registry.cache.has(this.registry.idOf(opts))
  }

  /** Whether the core `opts` names is open and referenced by some store. */
  isExternal(opts: CorestoreGetOptions | Uint8Array | string): boolean {
    return this.registry.cache.refs(this.registry.idOf(opts)) > 0
  }

  /** The cores this store opened, by discovery key (hex). */
  list(): Map<string, Hypercore> {
    return new Map(this.openedCores)
  }

  /**
   * The root store closes every core and replication stream of the folder; a namespace only
   * drops its references (its cores stay open for the other stores, as corestore@5).
   */
  close(): Promise<void> {
    if (!this.closePromise) this.closePromise = this.shutdown()
    return this.closePromise
  }

  private async shutdown(): Promise<void> {
    this.isClosed = true
    this.unlisten()
    if (this.parent === null) {
      await this.registry.close()
      return
    }
    for (const id of this.openedCores.keys()) this.registry.cache.decrement(id)
  }
}
