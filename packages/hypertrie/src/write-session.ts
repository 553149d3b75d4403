// The write operations shared by put, del and batch: build a node against a head, check a CAS
// condition, append; and the delete-as-re-put of a neighbour (hypertrie@5's put/del/batch).
import { walkDelete } from './del.js'
import type { MaybeNode, NodeLoader } from './node-source.js'
import { type WalkResult, returnScratch, takeScratch, walkPut } from './put.js'
import { EMPTY_TABLE } from './table-cursor.js'
import { HIDDEN_FLAG, type KeyHash, TrieNode } from './trie-node.js'

/** Where a write gets its head and its older nodes, and how it appends. */
export interface WriteTarget {
  load: NodeLoader
  /** Raw load (reset nodes included) for the neighbour a delete re-puts. */
  loadNeighbour(seq: number): Promise<MaybeNode>
  /** The head node; synchronous when it is cached. */
  head(): MaybeNode | Promise<MaybeNode>
  /** Appends (batches only collect: synchronously). */
  append(node: TrieNode): Promise<void> | void
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

/**
 * Returns the node (seq 0 and not appended when the condition refused); synchronously when the
 * head and every node the walk reads are cached and the target appends synchronously (batches).
 */
export function writePut(
  t: WriteTarget,
  key: string,
  valueBuffer: Buffer | null,
  flags: number,
  params: PutParams,
): TrieNode | Promise<TrieNode> {
  const node = new TrieNode(key, valueBuffer, flags, 0, EMPTY_TABLE, t.hash)
  const h = t.head()
  if (h instanceof Promise) return h.then((head) => buildAndAppend(t, node, head, params))
  return buildAndAppend(t, node, h, params)
}

function buildAndAppend(
  t: WriteTarget,
  node: TrieNode,
  head: TrieNode | null,
  params: PutParams,
): TrieNode | Promise<TrieNode> {
  const scratch = takeScratch()
  let walked: WalkResult
  try {
    walked = walkPut(t.load, node, head, params.skipSeq ?? 0, scratch)
  } catch (err) {
    returnScratch(scratch)
    throw err
  }
  if (walked instanceof Promise) {
    return walked.then(
      (closest) => {
        node.table = scratch.table.finish()
        returnScratch(scratch)
        return appendWalked(t, node, closest, params)
      },
      (err: unknown) => {
        returnScratch(scratch)
        throw err
      },
    )
  }
  node.table = scratch.table.finish()
  returnScratch(scratch)
  return appendWalked(t, node, walked, params)
}

function appendWalked(
  t: WriteTarget,
  node: TrieNode,
  closest: TrieNode | null,
  params: PutParams,
): TrieNode | Promise<TrieNode> {
  const condition = params.condition
  if (condition) {
    const existing = closest !== null && closest.key === node.key ? closest : null
    return condition(params.closest ? closest : existing, node).then(async (proceed) => {
      if (proceed) await t.append(node)
      return node
    })
  }
  const appended = t.append(node)
  return appended instanceof Promise ? appended.then(() => node) : node
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
