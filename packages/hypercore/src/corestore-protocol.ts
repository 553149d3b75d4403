import { ReplicationUnavailableError } from './corestore-errors.js'
// How Corestore reaches the wire: making a protocol stream and putting a core on it.
import type { CoreAttacher, StreamFactory } from './corestore-replication.js'

export const createProtocolStream: StreamFactory = () => {
  throw new ReplicationUnavailableError('a ProtocolStream from @hyperstack/hypercore-protocol')
}

export const attachCoreToStream: CoreAttacher = () => {
  throw new ReplicationUnavailableError('Hypercore.replicate(isInitiator, { stream })')
}
