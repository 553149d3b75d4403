// Our sparse reader of a trie (ours or hypertrie@5), with alwaysUpdate, replicating live.
import { Hypertrie } from '../../src/index.js'
import { newCore } from './cores.js'
import { connect } from './streams.js'

/** A writer that replicates: our Hypertrie or a hypertrie@5. */
export interface ReplicatingTrie {
  readonly key: Buffer | null
  replicate(isInitiator: boolean, opts: { live: boolean }): unknown
}

/** A sparse reader of `writer` over a live stream pair; `stop` ends the streams. */
export async function liveSparseReader(
  writer: ReplicatingTrie,
): Promise<{ reader: Hypertrie; stop: () => void }> {
  const reader = new Hypertrie(null, {
    feed: newCore(writer.key, { sparse: true }),
    alwaysUpdate: true,
  })
  await reader.ready()
  const stop = connect(
    writer.replicate(true, { live: true }),
    reader.replicate(false, { live: true }),
  )
  return { reader, stop }
}
