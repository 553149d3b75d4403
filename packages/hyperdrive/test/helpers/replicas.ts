// Sparse replicas of our drives in memory, replicating live with their writer.
import { Hyperdrive } from '../../src/index.js'
import { memoryStorage } from './hyperstack-backend.js'
import { connect } from './wire.js'

/**
 * A sparse replica of `writer` in memory over a live stream pair; `onCleanup` gets what closes
 * it and the streams (in the order to run them last to first).
 */
export async function sparseReplica(
  writer: Hyperdrive,
  onCleanup: (close: () => unknown) => void,
): Promise<Hyperdrive> {
  const reader = new Hyperdrive(memoryStorage(), writer.key, { sparse: true })
  onCleanup(() => reader.close())
  await reader.ready()
  const wire = connect(
    writer.replicate(true, { live: true }),
    reader.replicate(false, { live: true }),
  )
  onCleanup(() => wire.close())
  return reader
}
