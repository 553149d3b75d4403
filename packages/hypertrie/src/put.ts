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

type Loaded = MaybeNode[] | Promise<MaybeNode[]>

// loads `seqs` in order; synchronous when every node is cached
function loadAll(load: NodeLoader, seqs: number[]): Loaded {
  const out: MaybeNode[] = new Array(seqs.length)
  let pending: Promise<void>[] | null = null
  for (let k = 0; k < seqs.length; k++) {
    const r = load(seqs[k])
    if (r instanceof Promise) {
      if (pending === null) pending = []
      pending.push(
        r.then((n) => {
          out[k] = n
        }),
      )
    } else out[k] = r
  }
  return pending === null ? out : Promise.all(pending).then(() => out)
}

export type WalkResult = TrieNode | null | Promise<TrieNode | null>

/**
 * Fills `scratch.table` with `node`'s table against `head`. Returns the node where the walk
 * ended (the existing node when it has the same key), or null when the trie was empty or a
 * collision lookup found nothing; synchronously when every node it reads is cached.
 * `skipSeq` (a deleted node) is never stored as a pointer.
 */
export function walkPut(
  load: NodeLoader,
  node: TrieNode,
  head: TrieNode | null,
  skipSeq: number,
  scratch: PutScratch,
): WalkResult {
  return walkFrom(load, node, head, skipSeq, scratch, 0)
}

// the walk from position `from` on `head`; a read that has to wait continues it from there
function walkFrom(
  load: NodeLoader,
  node: TrieNode,
  head: TrieNode | null,
  skipSeq: number,
  scratch: PutScratch,
  from: number,
): WalkResult {
  const cursor = scratch.cursor
  const out = scratch.table
  const slots = cursor.slots
  let i = from
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
        if (r instanceof Promise) {
          const next = i + 1
          return r.then((h) => walkFrom(load, node, h, skipSeq, scratch, next))
        }
        head = r
        i++
        continue walk
      }

      // a component end: the candidates for the next head are slots v, v+5, ...
      let candidates: number[] | null = null
      if (!same) {
        candidates = []
        for (let j = v; j < size; j += 5) {
          const s = slots[j]
          if (!s) break
          candidates.push(s)
        }
      }
      let seqs: number[] | null = null
      if (collidable !== null) {
        seqs = []
        for (let k = 1; k < collidable.length; k += 2) seqs.push(collidable[k])
      }
      const others = seqs === null ? null : loadAll(load, seqs)
      const nexts = candidates === null || !candidates.length ? null : loadAll(load, candidates)
      if (others instanceof Promise || nexts instanceof Promise) {
        const at = i
        const current = head
        return Promise.all([others, nexts]).then(([o, c]) => {
          const next = endStep(node, out, at, collidable, o, candidates, c, current)
          return next === null ? null : walkFrom(load, node, next, skipSeq, scratch, at + 1)
        })
      }
      const next = endStep(node, out, i, collidable, others, candidates, nexts, head)
      if (next === null) return null
      if (next === head) continue
      head = next
      i++
      continue walk
    }
    return head
  }
  return null
}

/**
 * Finishes a component end: copies the slots whose node has a different component (the
 * original adds them after the diverging head, in request order), then picks the next head
 * among the candidates (the one sharing the component). Returns `head` itself when the new
 * node continues on it, null when no candidate matches.
 */
function endStep(
  node: TrieNode,
  out: TableBuilder,
  i: number,
  collidable: number[] | null,
  others: MaybeNode[] | null,
  candidates: number[] | null,
  nexts: MaybeNode[] | null,
  head: TrieNode,
): TrieNode | null {
  if (collidable !== null && others !== null) {
    for (let k = 0; k < others.length; k++) {
      if (others[k]?.collides(node, i)) out.push(i, collidable[2 * k], collidable[2 * k + 1])
    }
  }
  if (candidates === null) return head
  let found: TrieNode | null = null
  if (nexts !== null) for (const n of nexts) if (n !== null && !n.collides(node, i)) found = n
  return found
}
