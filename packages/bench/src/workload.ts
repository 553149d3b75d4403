// The shape of a named workload: its cases, one adapter per implementation, and how a run measures.
import type { Metric } from './metric.js'

/** The implementations a workload can be run against. */
export const IMPLS = ['originals', 'ours'] as const
export type ImplName = (typeof IMPLS)[number]

/** What a worker process knows about the measurement it runs. */
export interface CaseContext {
  /** One of the workload's `cases`. */
  caseName: string
  /**
   * A temporary folder the parent created for this measurement (or, for workloads with a
   * `prepare` step, the folder `prepare` filled); the parent deletes it afterwards.
   */
  dir: string
}

/**
 * A workload as its author writes it, typed by the adapter interface `A` that each
 * implementation provides. Adapters are loaded lazily so that a worker only ever loads the
 * implementation it measures (keeping the other out of its memory and start-up time).
 */
export interface WorkloadDefinition<A> {
  name: string
  /** One line: what is measured. */
  description: string
  /** Each case runs in its own processes (so peak RSS is per case). */
  cases: readonly string[]
  adapters: Partial<Record<ImplName, () => Promise<A>>>
  /** Set when the workload cannot run here; the CLI prints this reason instead of results. */
  skipReason?: string
  /**
   * Implementations whose workers run in a fresh network namespace holding only a loopback
   * interface (brought up): for originals that bind every interface and multicast
   * (hyperswarm@2), which must never run in the host's network.
   */
  networkNamespace?: readonly ImplName[]
  /**
   * Optional one-off setup per (case, implementation), run in its own process before the runs,
   * filling `context.dir`. Metrics it returns (e.g. a build rate) are reported once, beside
   * the first run's.
   */
  prepare?: (adapter: A, context: CaseContext) => Promise<Metric[] | undefined>
  /** One measured run; returns the metrics of this run (the worker adds peak RSS). */
  run: (adapter: A, context: CaseContext) => Promise<Metric[]>
}

/** A workload with its adapter type erased, as the registry and the worker handle it. */
export interface Workload {
  name: string
  description: string
  cases: readonly string[]
  impls: readonly ImplName[]
  skipReason: string | undefined
  /** Implementations whose workers must run in their own network namespace. */
  networkNamespace: readonly ImplName[]
  hasPrepare: boolean
  prepare(impl: ImplName, context: CaseContext): Promise<Metric[]>
  run(impl: ImplName, context: CaseContext): Promise<Metric[]>
}

export class UnknownImplementationError extends Error {
  readonly code = 'ERR_UNKNOWN_IMPL'
  constructor(workload: string, impl: string) {
    super(`workload ${workload} has no adapter for implementation "${impl}"`)
  }
}

/** Erases a workload's adapter type so workloads of every kind fit one registry. */
export function defineWorkload<A>(definition: WorkloadDefinition<A>): Workload {
  const load = async (impl: ImplName): Promise<A> => {
    const loader = definition.adapters[impl]
    if (loader === undefined) throw new UnknownImplementationError(definition.name, impl)
    return loader()
  }
  return {
    name: definition.name,
    description: definition.description,
    cases: definition.cases,
    impls: IMPLS.filter((impl) => definition.adapters[impl] !== undefined),
    skipReason: definition.skipReason,
    networkNamespace: definition.networkNamespace ?? [],
    hasPrepare: definition.prepare !== undefined,
    async prepare(impl, context) {
      if (!definition.prepare) return []
      return (await definition.prepare(await load(impl), context)) ?? []
    },
    async run(impl, context) {
      return definition.run(await load(impl), context)
    },
  }
}
