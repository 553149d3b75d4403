// @hyperswarm/dht@4 as the workloads use it, behind a small typed interface.
import { createRequire } from 'node:module'
import type { Readable } from 'node:stream'

const require = createRequire(import.meta.url)

export interface OriginalDhtPeer {
  host: string
  port: number
}

export interface OriginalDhtNode {
  listen(port: number, host: string, cb: () => void): void
  address(): { address: string; port: number }
  ready(cb: () => void): void
  announce(topic: Buffer, opts: { port: number }, cb: (err: Error | null) => void): Readable
  lookup(topic: Buffer): Readable
  destroy(): void
  on(event: 'error' | 'warning', listener: (err: Error) => void): void
}

export type OriginalDht = (opts: {
  bootstrap: string[]
  ephemeral?: boolean
}) => OriginalDhtNode

export const dht = require('@hyperswarm/dht') as OriginalDht
