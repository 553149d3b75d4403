// How Corestore reaches the wire: a hypercore-protocol stream, and each core's own replicate()
// onto it (as corestore@5 calls hypercore@9's `replicate(isInitiator, { stream })`).
import { ProtocolStream } from '@hyperstack/hypercore-protocol'
import type { CoreAttacher, StreamFactory } from './corestore-replication.js'

export const createProtocolStream: StreamFactory = (isInitiator, opts) => {
  const { stream, download, upload, maxRequests, ...streamOpts } = opts
  return new ProtocolStream(isInitiator, streamOpts)
}

export const attachCoreToStream: CoreAttacher = (core, isInitiator, opts) => {
  core.replicate(isInitiator, opts)
}
