// Where each trie node block ends inside a run of consecutive blocks read at once. A hypertrie@5
// `Node` message (key 1, value 2, trie 3, seq 4, flags 5) carries no length of its own, but
// writers put its fields in ascending order and always write `seq` (the block's index): a field
// number that does not ascend starts the next block, and every piece must name its own index.
import { ProtoReader, WIRE_VARINT } from './protobuf.js'

const SEQ_FIELD = 4

/**
 * The end offsets of `count` node blocks starting at block `start` in `bytes` (ends[k] is where
 * block start + k ends), or null when the bytes do not split that way exactly (another layout:
 * the caller reads those blocks one by one).
 */
export function nodeBlockEnds(bytes: Uint8Array, start: number, count: number): Int32Array | null {
  const ends = new Int32Array(count)
  let k = 0
  let last = 0
  let seq = -1
  try {
    const r = new ProtoReader(bytes)
    while (!r.done) {
      const at = r.pos
      const [field, wire] = r.tag()
      if (field <= last) {
        if (seq !== start + k || k === count - 1) return null
        ends[k++] = at
        seq = -1
      }
      last = field
      if (field === SEQ_FIELD && wire === WIRE_VARINT) seq = r.varint()
      else r.skip(wire)
    }
  } catch {
    return null
  }
  if (seq !== start + k || k !== count - 1) return null
  ends[k] = bytes.byteLength
  return ends
}
