// Corestore replication: every core of a store over one protocol stream. Cores opened later join
// every open stream, and a channel the remote opens for a core we store is answered by opening
// that core on demand (corestore@5's replicate + ondiscoverykey).
import type { ProtocolStream, ProtocolStreamOptions } from '@hyperstack/hypercore-protocol'
import { toHex } from './corestore-layout.js'
import type { CoreRegistry } from './corestore-registry.js'
import type { Hypercore } from './hypercore.js'

/** Options of `Corestore.replicate`: the protocol stream's, plus each core's replication toggles. */
export interface CorestoreReplicateOptions extends ProtocolStreamOptions {
  /** Replicate onto this existing stream instead of a new one. */
  stream?: ProtocolStream
  /** Keep replicating after the cores are in sync (default false, as the original). */
  live?: boolean
  download?: boolean
  upload?: boolean
  maxRequests?: number
}

/** Makes a new protocol stream for `replicate(isInitiator)`. */
export type StreamFactory = (
  isInitiator: boolean,
  opts: CorestoreReplicateOptions,
) => ProtocolStream
/** Puts one core on a stream (a Hypercore's `replicate(isInitiator, { stream })`). */
export type CoreAttacher = (
  core: Hypercore,
  isInitiator: boolean,
  opts: CorestoreReplicateOptions & { stream: ProtocolStream },
) => void

interface OpenStream {
  stream: ProtocolStream
  opts: CorestoreReplicateOptions
  /**
   * Discovery keys (hex) of the cores on this stream, each with what stops watching its core
   * for close: a core closed here (its channel closed by us) may be opened again on this stream.
   */
  attached: Map<string, () => void>
  closed: boolean
}

export class StoreReplication {
  private readonly streams: OpenStream[] = []

  constructor(
    private readonly registry: CoreRegistry,
    private readonly createStream: StreamFactory,
    private readonly attachCore: CoreAttacher,
  ) {}

  replicate(
    isInitiator: boolean,
    cores: Iterable<Hypercore>,
    opts: CorestoreReplicateOptions,
  ): ProtocolStream {
    const stream = opts.stream ?? this.createStream(isInitiator, opts)
    const state: OpenStream = { stream, opts, attached: new Map(), closed: false }
    for (const core of cores) this.attachWhenReady(state, core, isInitiator)

    stream.on('discovery-key', (discoveryKey) => this.onDiscoveryKey(state, discoveryKey))
    // A closed channel can be opened again later (by either side), so the core may re-attach.
    stream.on('channel-close', (discoveryKey) => detach(state, toHex(discoveryKey)))
    const onclose = () => {
      if (state.closed) return
      state.closed = true
      for (const id of [...state.attached.keys()]) detach(state, id)
      const i = this.streams.indexOf(state)
      if (i !== -1) this.streams.splice(i, 1)
    }
    stream.on('finish', onclose)
    stream.on('end', onclose)
    stream.on('close', onclose)
    this.streams.push(state)
    return stream
  }

  /** A core that just opened joins every open stream (as the responder, like corestore@5). */
  inject(core: Hypercore): void {
    for (const state of this.streams) this.attachWhenReady(state, core, false)
  }

  destroyAll(): void {
    for (const state of this.streams.splice(0)) {
      state.closed = true
      state.stream.destroy()
    }
  }

  private onDiscoveryKey(state: OpenStream, discoveryKey: Buffer) {
    // The remote asked for a core we did not offer: open it if we store it, else say no.
    this.registry.exists(discoveryKey).then(
      (exists) => {
        if (state.closed || this.registry.closed) return
        if (!exists) {
          state.stream.close(discoveryKey)
          return
        }
        const { core } = this.registry.get({ discoveryKey })
        core.ready().catch(() => {
          if (!state.closed) state.stream.close(discoveryKey)
        })
        this.attachWhenReady(state, core, false)
      },
      () => {
        if (!state.closed) state.stream.close(discoveryKey)
      },
    )
  }

  private attachWhenReady(state: OpenStream, core: Hypercore, isInitiator: boolean) {
    core.ready().then(
      () => {
        if (state.closed || core.closed || !core.discoveryKey) return
        const id = toHex(core.discoveryKey)
        if (state.attached.has(id)) return
        const onclose = () => detach(state, id)
        core.once('close', onclose)
        state.attached.set(id, () => core.off('close', onclose))
        this.attachCore(core, isInitiator, { ...state.opts, stream: state.stream })
      },
      () => {
        // A core that cannot open is simply not replicated, as in corestore@5.
      },
    )
  }
}

/** Forgets that core `id` is on the stream (its channel closed, or the core did). */
function detach(state: OpenStream, id: string): void {
  const unwatch = state.attached.get(id)
  if (unwatch === undefined) return
  state.attached.delete(id)
  unwatch()
}
