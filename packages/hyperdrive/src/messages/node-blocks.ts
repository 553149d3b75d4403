// Where each trie node block ends inside a run of consecutive blocks read at once. A hypertrie@5
// `Node` message (key 1, value 2, trie 3, seq 4, flags 5) carries no length of its own, but
// writers put its fields in ascending order and always write `seq` (the block's index): a field
// number that does not ascend starts the next block, and every piece must name its own index.
// Runs over every block of a listing's windows, so it reads varints in place (no allocation).

const SEQ_FIELD = 4

/**
 * The end offsets of `count` node blocks starting at block `start` in `bytes` (ends[k] is where
 * block start + k ends), or null when the bytes do not split that way exactly (another layout:
 * the caller reads those blocks one by one).
 */
export function nodeBlockEnds(bytes: Uint8Array, start: number, count: number): Int32Array | null {
  const ends = new Int32Array(count)
  const end = bytes.byteLength
  let k = 0
  let last = 0
  let seq = -1
  let at = 0
  while (at < end) {
    const tagAt = at
    // the tag: field numbers of a Node fit in one byte; anything longer is not this layout
    const tag = bytes[at++]
    if (tag >= 0x80) return null
    const field = tag >>> 3
    const wire = tag & 7
    if (field === 0) return null
    if (field <= last) {
      if (seq !== start + k || k === count - 1) return null
      ends[k++] = tagAt
      seq = -1
    }
    last = field
    if (wire === 0) {
      let value = 0
      let mul = 1
      for (let i = 0; ; i++) {
        if (at >= end || i === 8) return null
        const b = bytes[at++]
        value += (b & 0x7f) * mul
        if (b < 0x80) break
        mul *= 128
      }
      if (field === SEQ_FIELD) seq = value
    } else if (wire === 2) {
      let len = 0
      let mul = 1
      for (let i = 0; ; i++) {
        if (at >= end || i === 5) return null
        const b = bytes[at++]
        len += (b & 0x7f) * mul
        if (b < 0x80) break
        mul *= 128
      }
      if (len > end - at) return null
      at += len
    } else if (wire === 1 || wire === 5) {
      at += wire === 1 ? 8 : 4
      if (at > end) return null
    } else {
      return null
    }
  }
  if (seq !== start + k || k !== count - 1) return null
  ends[k] = end
  return ends
}
