// hyperswarm@2 as the workloads use it, behind a small typed interface. It binds every
// interface and multicasts, so the workloads that load it run their workers in a network
// namespace of their own (see `networkNamespace` in workload.ts).
import { createRequire } from 'node:module'
import { networkInterfaces } from 'node:os'
import type { Duplex } from 'node:stream'

const require = createRequire(import.meta.url)

export interface OriginalSwarmPeerInfo {
  client: boolean
}

export interface OriginalSwarm {
  join(
    topic: Buffer,
    opts: { announce: boolean; lookup: boolean },
    onjoin?: (err?: Error | null) => void,
  ): void
  leave(topic: Buffer, onleave?: () => void): void
  on(event: 'connection', listener: (socket: Duplex, info: OriginalSwarmPeerInfo) => void): void
  on(event: 'error', listener: (err: Error) => void): void
  once(event: 'connection', listener: (socket: Duplex, info: OriginalSwarmPeerInfo) => void): void
  destroy(cb?: (err?: Error | null) => void): void
}

export type OriginalHyperswarm = (opts: {
  bootstrap: string[]
  ephemeral?: boolean
  maxPeers?: number
}) => OriginalSwarm

const original = require('hyperswarm') as OriginalHyperswarm

export class NotIsolatedError extends Error {
  readonly code = 'ERR_NOT_ISOLATED'
}

/** Interfaces other than loopback that this process can see (none inside the namespace). */
export function externalInterfaces(): string[] {
  return Object.entries(networkInterfaces())
    .filter(([, addresses]) => (addresses ?? []).some((a) => !a.internal))
    .map(([name]) => name)
}

/**
 * hyperswarm@2, refusing to start where any interface besides loopback is visible: it binds
 * every interface and multicasts, so it must only ever run in the bench's network namespace.
 */
export const hyperswarm: OriginalHyperswarm = (opts) => {
  const external = externalInterfaces()
  if (external.length > 0) {
    throw new NotIsolatedError(
      `hyperswarm@2 runs only in a network namespace holding loopback alone; this process sees ${external.join(', ')}`,
    )
  }
  return original(opts)
}
