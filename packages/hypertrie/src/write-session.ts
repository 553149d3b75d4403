// The write operations shared by put, del and batch: build a node against a head, check a CAS
// condition, append; and the delete-as-re-put of a neighbour (hypertrie@5's put/del/batch).
import { walkDelete } from './del.js'
import type { MaybeNode, NodeLoader } from './node-source.js'
import { returnScratch, takeScratch, walkPut } from './put.js'
import { EMPTY_TABLE } from './table-cursor.js'
import { HIDDEN_FLAG, type KeyHash, TrieNode } from './trie-node.js'

/** Where a write gets its head and its older nodes, and how it appends. */
export interface WriteTarget {
  load: NodeLoader
  /** Raw load (reset nodes included) for the neighbour a delete re-puts. */
  loadNeighbour(seq: number): Promise<MaybeNode>
  /** The head node; synchronous when it is cached. */
  head(): MaybeNode | Promise<MaybeNode>
  append(node: TrieNode): Promise<void>
  hash: KeyHash | null
}

export type PutConditionHook = (existing: TrieNode | null, next: TrieNode) => Promise<boolean>
export type DelConditionHook = (node: TrieNode | null) => Promise<boolean>

export interface PutParams {
  condition?: PutConditionHook | null
  /** Hand the condition the node where the walk ended, whatever its key. */
  closest?: boolean
  /** The seq being deleted (never stored as a pointer). */
  skipSeq?: number
}

export function storedFlags(userFlags: number, hidden: boolean): number {
  return userFlags * 256 + (hidden ? HIDDEN_FLAG : 0)
}

/** Returns the node (seq 0 and not appended when the condition refused). */
export async function writePut(
  t: WriteTarget,
  key: string,
  valueBuffer: Buffer | null,
  flags: number,
  params: PutParams,
): Promise<TrieNode> {
  const node = new TrieNode(key, valueBuffer, flags, 0, EMPTY_TABLE, t.hash)
  const h = t.head()
  const head = h instanceof Promise ? await h : h
  const scratch = takeScratch()
  let closest: TrieNode | null
  try {
    closest = await walkPut(t.load, node, head, params.skipSeq ?? 0, scratch)
    node.table = scratch.table.finish()
  } finally {
    returnScratch(scratch)
  }
  if (params.condition) {
    const existing = closest !== null && closest.key === node.key ? closest : null
    const proceed = await params.condition(params.closest ? closest : existing, node)
    if (!proceed) return node
  }
  await t.append(node)
  return node
}

export interface DelParams {
  hidden?: boolean
  condition?: DelConditionHook | null
  /** With a condition: on a miss, still call it once with the node where the walk stopped. */
  closest?: boolean
}

/** Returns the re-written neighbour node, or null when the key was absent or the CAS refused. */
export async function writeDel(
  t: WriteTarget,
  key: string,
  params: DelParams,
): Promise<TrieNode | null> {
  const target = new TrieNode(key, null, params.hidden ? HIDDEN_FLAG : 0, 0, EMPTY_TABLE, t.hash)
  const h = t.head()
  const walk = await walkDelete(t.load, target, h instanceof Promise ? await h : h)
  const deleted = walk.deleted
  if (deleted === null) {
    if (params.condition && params.closest) await params.condition(walk.stoppedAt)
    return null
  }
  if (params.condition && !(await params.condition(deleted))) return null
  const c = walk.closestSeq ? await t.loadNeighbour(walk.closestSeq) : null
  if (c === null) {
    return writePut(t, '', null, storedFlags(0, deleted.hidden), { skipSeq: deleted.seq })
  }
  return writePut(t, c.key, c.valueBuffer, storedFlags(c.userFlags, c.hidden), {
    skipSeq: deleted.seq,
  })
}
