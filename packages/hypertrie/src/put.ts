// Writing a node: walk from the head copying every sibling pointer the new node must keep
// (hypertrie@5's lib/put.js). The walk also finds the node a CAS condition compares against.
// Tables are read in place and the new one is written straight into its stored form.
import type { MaybeNode, NodeLoader } from './node-source.js'
import { isComponentEnd } from './path-hash.js'
import { TableBuilder } from './table-builder.js'
import { TableCursor } from './table-cursor.js'
import type { TrieNode } from './trie-node.js'

/** What one walk needs besides the nodes: a cursor over the heads, a builder for the result. */
export interface PutScratch {
  cursor: TableCursor
  table: TableBuilder
}

// walks of different tries may interleave at their awaits, so each takes its own scratch
const free: PutScratch[] = []

export function takeScratch(): PutScratch {
  return free.pop() ?? { cursor: new TableCursor(), table: new TableBuilder() }
}

export function returnScratch(s: PutScratch): void {
  s.table.reset()
  if (free.length < 16) free.push(s)
}

async function loadAll(load: NodeLoader, seqs: number[]): Promise<MaybeNode[]> {
  const out: MaybeNode[] = new Array(seqs.length)
  const pending: Promise<void>[] = []
  for (let k = 0; k < seqs.length; k++) {
    const r = load(seqs[k])
    if (r instanceof Promise) {
      pending.push(
        r.then((n) => {
          out[k] = n
        }),
      )
    } else out[k] = r
  }
  if (pending.length) await Promise.all(pending)
  return out
}

/**
 * Fills `scratch.table` with `node`'s table against `head`. Returns the node where the walk
 * ended (the existing node when it has the same key), or null when the trie was empty or a
 * collision lookup found nothing. `skipSeq` (a deleted node) is never stored as a pointer.
 */
export async function walkPut(
  load: NodeLoader,
  node: TrieNode,
  head: TrieNode | null,
  skipSeq: number,
  scratch: PutScratch,
): Promise<TrieNode | null> {
  const cursor = scratch.cursor
  const out = scratch.table
  const slots = cursor.slots
  let i = 0
  walk: while (head !== null) {
    cursor.open(head.table)
    for (; i < node.length; i++) {
      const end = isComponentEnd(i)
      const v = node.digit(i)
      const size = cursor.seek(i) ? cursor.size : 0
      const hv = head.digit(i)
      let collidable: number[] | null = null

      for (let j = 0; j < size; j++) {
        if (j === v && !end) continue // slot v is the new node's own subtree
        const s = slots[j]
        if (s === 0 || s === skipSeq) continue
        if (!end) out.push(i, j, s)
        else {
          if (collidable === null) collidable = []
          collidable.push(j, s)
        }
      }

      const same = hv === v && (!end || !node.collides(head, i))
      if (!same && head.seq !== skipSeq) out.push(i, hv, head.seq)

      if (!end) {
        if (same) continue
        const s = v < size ? slots[v] : 0
        if (!s) break
        const r = load(s)
        head = r instanceof Promise ? await r : r
        i++
        continue walk
      }

      // a component end: the candidates for the next head are slots v, v+5, ... (read them
      // before awaiting anything: the cursor moves on with the next head)
      let candidates: number[] | null = null
      if (!same) {
        candidates = []
        for (let j = v; j < size; j += 5) {
          const s = slots[j]
          if (!s) break
          candidates.push(s)
        }
      }

      // copy the slots whose node has a different component; the original adds them
      // asynchronously, after the diverging head, in request order
      if (collidable !== null) {
        const seqs: number[] = []
        for (let k = 1; k < collidable.length; k += 2) seqs.push(collidable[k])
        const loaded = await loadAll(load, seqs)
        for (let k = 0; k < loaded.length; k++) {
          if (loaded[k]?.collides(node, i)) out.push(i, collidable[2 * k], collidable[2 * k + 1])
        }
      }

      if (candidates === null) continue

      let found: TrieNode | null = null
      if (candidates.length) {
        for (const n of await loadAll(load, candidates))
          if (n !== null && !n.collides(node, i)) found = n
      }
      if (found === null) return null
      head = found
      i++
      continue walk
    }
    return head
  }
  return null
}
