// Deleting a key: find it, then re-put a nearby node (or the "" reset node) whose fresh table
// drops the deleted seq (hypertrie@5's lib/del.js). There are no tombstones.
import type { NodeLoader } from './node-source.js'
import { TableCursor } from './table-cursor.js'
import type { TrieNode } from './trie-node.js'

export interface DeleteWalk {
  /** The node holding the key, or null when the key is absent. */
  deleted: TrieNode | null
  /** A seq whose node can stand in for the deleted one (0 = none: write the reset node). */
  closestSeq: number
  /** Where the walk stopped (for `closest` conditions on a miss). */
  stoppedAt: TrieNode | null
}

/** First occupied slot of the cursor's bucket other than `val`, lowest slot index first. */
function firstOtherSeq(cursor: TableCursor, size: number, val: number): number {
  for (let i = 0; i < size; i++) {
    if (i === val) continue
    const s = cursor.slots[i]
    if (s) return s
  }
  return 0
}

/**
 * Walks to `target`'s key. Like the original it checks only digits, never components, so with a
 * real SipHash collision it may reach the other key and report "not found".
 */
export async function walkDelete(
  load: NodeLoader,
  target: TrieNode,
  head: TrieNode | null,
): Promise<DeleteWalk> {
  let closestSeq = 0
  if (head === null) return { deleted: null, closestSeq, stoppedAt: null }
  const cursor = new TableCursor()
  cursor.open(head.table)
  for (let i = 0; i < target.length; i++) {
    const v = target.digit(i)
    const size = cursor.seek(i) ? cursor.size : 0
    if (head.digit(i) === v) {
      const c = firstOtherSeq(cursor, size, v)
      if (c) closestSeq = c
      continue
    }
    const s = v < size ? cursor.slots[v] : 0
    if (!s) return { deleted: null, closestSeq, stoppedAt: head }
    closestSeq = head.seq
    const r = load(s)
    const next = r instanceof Promise ? await r : r
    if (next === null) return { deleted: null, closestSeq, stoppedAt: null }
    head = next
    cursor.open(head.table)
  }
  if (head.key !== target.key) return { deleted: null, closestSeq, stoppedAt: head }
  return { deleted: head, closestSeq, stoppedAt: head }
}
