// hypercore-protocol@8 as the workloads use it, behind a small typed interface.
import { createRequire } from 'node:module'
import type { Duplex } from 'node:stream'

const require = createRequire(import.meta.url)

export interface OriginalChannelHandlers {
  onopen?(): void
  ondata?(message: { index: number; value: Buffer | null }): void
}

export interface OriginalChannel {
  data(message: { index: number; value: Buffer }): void
}

export interface OriginalProtocolStream extends Duplex {
  open(key: Buffer, handlers: OriginalChannelHandlers): OriginalChannel
}

export type OriginalProtocol = new (
  initiator: boolean,
  opts?: { encrypted?: boolean; live?: boolean },
) => OriginalProtocolStream

export const Protocol = require('hypercore-protocol') as OriginalProtocol
