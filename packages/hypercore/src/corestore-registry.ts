// The state every store of one Corestore tree shares (corestore@5's InnerCorestore): storage,
// master key, the cache of open cores by discovery key, and the open replication streams.
import { EventEmitter } from 'node:events'
import type { ProtocolStream } from '@hyperstack/hypercore-protocol'
import { CoreCache } from './corestore-cache.js'
import { DeferredStorage } from './corestore-deferred-storage.js'
import {
  CorestoreClosedError,
  CorestoreNotReadyError,
  InvalidCoreOptionsError,
  InvalidKeyError,
} from './corestore-errors.js'
import {
  MASTER_KEY_BYTES,
  coreDiscoveryKey,
  deriveCoreKeys,
  randomBytes,
} from './corestore-keys.js'
import { coreStorageRoot, parseKey, toHex } from './corestore-layout.js'
import { attachCoreToStream, createProtocolStream } from './corestore-protocol.js'
import { type CorestoreReplicateOptions, StoreReplication } from './corestore-replication.js'
import {
  type CorestoreStorageFunction,
  type RequestedCoreKeys,
  coreKeyExists,
  loadCoreKeys,
  loadMasterKey,
  memoryFile,
  toStorageFunction,
} from './corestore-storage.js'
import { emitErrorIfHeard } from './emit-error.js'
import { Hypercore, type HypercoreOptions } from './hypercore.js'

/** Options of `new Corestore(storage, opts)`; core options here apply to every core. */
export interface CorestoreOptions extends HypercoreOptions {
  /** Use this master key instead of the `master_key` file (which is then neither read nor written). */
  masterKey?: Uint8Array | null
  /** Unreferenced cores kept open before the oldest is closed (default 1000). */
  cacheSize?: number
}

export const CORESTORE_DEFAULTS = {
  cacheSize: 1000,
} as const

/** What to open: exactly one way of naming the core is used, in this order. */
export interface CorestoreGetOptions extends HypercoreOptions {
  /** Open (or create) the core with this key pair; it is stored in `secret_key`. */
  keyPair?: { publicKey: Uint8Array; secretKey: Uint8Array } | null
  /** Open the core with this public key (bytes or 64 hex characters). */
  key?: Uint8Array | string | null
  /** Derive the core's key pair from the master key and this name. */
  name?: string | Uint8Array | null
  /** With `name`: this is the store's default core (corestore@5 requires a name with it). */
  default?: boolean
  /** Open an already stored core by discovery key only (as replication does). */
  discoveryKey?: Uint8Array | string | null
}

/** Keys the cache and the folders use: the core's discovery key, plus what `get` was given. */
interface GeneratedKeys extends RequestedCoreKeys {
  id: string
}

type RegistryEvents = {
  feed: [core: Hypercore, opts: CorestoreGetOptions]
  error: [err: Error]
}

export class CoreRegistry extends EventEmitter<RegistryEvents> {
  readonly storage: CorestoreStorageFunction
  readonly cache: CoreCache<Hypercore>
  readonly replication: StoreReplication
  masterKey: Buffer | null
  opened = false
  closed = false
  private readonly coreOptions: HypercoreOptions
  private openPromise: Promise<void> | null = null
  private closePromise: Promise<void> | null = null

  constructor(storage: unknown, opts: CorestoreOptions) {
    super()
    this.storage = toStorageFunction(storage)
    if (opts.masterKey != null && opts.masterKey.byteLength !== MASTER_KEY_BYTES) {
      throw new InvalidKeyError('masterKey', `${opts.masterKey.byteLength} bytes`)
    }
    this.masterKey = opts.masterKey ? Buffer.from(opts.masterKey) : null
    this.coreOptions = withoutStoreOptions(opts)
    this.cache = new CoreCache(opts.cacheSize ?? CORESTORE_DEFAULTS.cacheSize, (core) => {
      core.close().catch((err: Error) => this.emitError(err))
    })
    this.replication = new StoreReplication(this, createProtocolStream, attachCoreToStream)
    // corestore@5 lifts the listener limit: every open core may listen here (corestore#20).
    this.setMaxListeners(0)
  }

  open(): Promise<void> {
    if (!this.openPromise) this.openPromise = this.load()
    return this.openPromise
  }

  private async load(): Promise<void> {
    if (this.closed) throw new CorestoreClosedError()
    if (this.masterKey === null) this.masterKey = await loadMasterKey(this.storage)
    this.opened = true
  }

  close(): Promise<void> {
    if (!this.closePromise) this.closePromise = this.shutdown()
    return this.closePromise
  }

  private async shutdown(): Promise<void> {
    this.closed = true
    if (this.openPromise) await this.openPromise.catch(() => {})
    this.replication.destroyAll()
    const cores = this.cache.values()
    const results = await Promise.allSettled(cores.map((core) => core.close()))
    for (const r of results) if (r.status === 'rejected') throw r.reason
  }

  /** The discovery key (hex) `get(opts)` would use, or throws for options naming no core. */
  idOf(opts: CorestoreGetOptions | Uint8Array | string | undefined): string {
    return this.generateKeys(normaliseGetOptions(opts)).id
  }

  /**
   * The one Hypercore for these options and its cache id (discovery key, hex): from the cache,
   * or opened now (corestore@5's get).
   */
  get(opts: CorestoreGetOptions): { core: Hypercore; id: string } {
    if (this.closed) throw new CorestoreClosedError()
    if (!this.opened || this.masterKey === null) throw new CorestoreNotReadyError()
    const keys = this.generateKeys(opts)
    const cached = this.cache.get(keys.id)
    if (cached) return { core: cached, id: keys.id }

    const masterKey = this.masterKey
    const root = coreStorageRoot(keys.discoveryKey)
    const openFile = (name: string) => this.storage(`${root}/${name}`)
    const loading = loadCoreKeys(openFile, masterKey, keys)
    // Never an unhandled rejection: the failure reaches the core through its key files.
    loading.catch(() => {})
    // The core sees its keys in memory; the files on disk are corestore's (unlinked with them).
    const keyFile = new DeferredStorage(
      loading.then((k) => memoryFile(k.publicKey)),
      () => [openFile('key'), openFile('name')],
    )
    const secretKeyFile = new DeferredStorage(
      loading.then((k) => memoryFile(k.secretKey)),
      () => [openFile('secret_key')],
    )

    const core = new Hypercore(
      (name: string) => {
        if (name === 'key') return keyFile
        if (name === 'secret_key') return secretKeyFile
        return openFile(name)
      },
      keys.publicKey,
      {
        ...this.coreOptions,
        ...withoutStoreOptions(opts),
        createIfMissing: keys.publicKey !== null,
      },
    )
    this.cache.set(keys.id, core)

    core.once('close', () => {
      if (this.cache.peek(keys.id) === core) this.cache.delete(keys.id)
    })
    core.ready().then(
      () => {
        if (core.closed) return
        this.emit('feed', core, opts)
        this.replication.inject(core)
      },
      () => {
        // corestore@5 drops a core that failed to open; the error reaches its ready() callers.
        if (this.cache.peek(keys.id) === core) this.cache.delete(keys.id)
      },
    )
    return { core, id: keys.id }
  }

  /** Whether a core with this discovery key is open or stored (corestore@5's `_checkIfExists`). */
  async exists(discoveryKey: Buffer): Promise<boolean> {
    if (this.cache.has(toHex(discoveryKey))) return true
    const root = coreStorageRoot(discoveryKey)
    return coreKeyExists((name) => this.storage(`${root}/${name}`))
  }

  emitError(err: Error) {
    emitErrorIfHeard(this, err)
  }

  /** corestore@5's `_generateKeys`: keyPair, then key, then name, then discoveryKey, else random. */
  private generateKeys(opts: CorestoreGetOptions): GeneratedKeys {
    if (opts.keyPair) {
      const publicKey = parseKey(opts.keyPair.publicKey, 'keyPair.publicKey')
      const discoveryKey = coreDiscoveryKey(publicKey)
      const secretKey = Buffer.from(opts.keyPair.secretKey)
      return { id: toHex(discoveryKey), discoveryKey, publicKey, secretKey, name: null }
    }
    if (opts.key) {
      const publicKey = parseKey(opts.key)
      const discoveryKey = coreDiscoveryKey(publicKey)
      return { id: toHex(discoveryKey), discoveryKey, publicKey, secretKey: null, name: null }
    }
    if (opts.default || opts.name) {
      if (!opts.name) {
        throw new InvalidCoreOptionsError(
          'get({ default: true }) needs a name for the default core',
        )
      }
      return this.derive(opts.name)
    }
    if (opts.discoveryKey) {
      const discoveryKey = parseKey(opts.discoveryKey, 'discoveryKey')
      return { id: toHex(discoveryKey), discoveryKey, publicKey: null, secretKey: null, name: null }
    }
    return this.derive(randomBytes(32))
  }

  private derive(name: string | Uint8Array): GeneratedKeys {
    if (this.masterKey === null) throw new CorestoreNotReadyError()
    const keys = deriveCoreKeys(this.masterKey, name)
    return { ...keys, id: toHex(keys.discoveryKey) }
  }

  replicate(
    isInitiator: boolean,
    cores: Iterable<Hypercore>,
    opts: CorestoreReplicateOptions,
  ): ProtocolStream {
    return this.replication.replicate(isInitiator, cores, opts)
  }
}

/** `get(key)` with bytes or a hex string means `get({ key })`, as corestore@5. */
export function normaliseGetOptions(
  opts: CorestoreGetOptions | Uint8Array | string | undefined | null,
): CorestoreGetOptions {
  if (opts === undefined || opts === null) return {}
  if (typeof opts === 'string' || opts instanceof Uint8Array) return { key: opts }
  return opts
}

/** The options a Hypercore understands: everything but the store's own. */
function withoutStoreOptions(opts: CorestoreGetOptions & CorestoreOptions): HypercoreOptions {
  const {
    keyPair,
    key,
    name,
    default: isDefault,
    discoveryKey,
    masterKey,
    cacheSize,
    ...rest
  } = opts
  return rest
}
