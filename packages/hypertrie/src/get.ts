// Point lookup: walk the bucket tables from the head along the key's digit path (hypertrie@5's
// lib/get.js), resolving SipHash collisions at component ends by comparing component strings.
import type { NodeSource, ReadOptions } from './node-source.js'
import { isComponentEnd } from './path-hash.js'
import { EMPTY_TABLE } from './table-cursor.js'
import { HIDDEN_FLAG, TrieNode } from './trie-node.js'

export interface LookupOptions extends ReadOptions {
  hidden?: boolean
  /** Stop before the terminator digit, so every node at or below the key matches. */
  prefix?: boolean
  /** On a miss, return the last node visited instead of null. */
  closest?: boolean
  /** Called with every seq read, in order (the lookup extension records these). */
  onseq?: ((seq: number) => void) | null
}

export function lookupTarget(src: NodeSource, key: string, hidden: boolean): TrieNode {
  return new TrieNode(key, null, hidden ? HIDDEN_FLAG : 0, 0, EMPTY_TABLE, src.hash)
}

/** Digits a lookup walks: the whole path, or all but the terminator for prefix lookups. */
export function lookupLength(target: TrieNode, prefix: boolean): number {
  return target.length - (prefix ? 1 : 0)
}

export async function lookup(
  src: NodeSource,
  headSeq: number,
  target: TrieNode,
  opts: LookupOptions,
): Promise<TrieNode | null> {
  if (!headSeq) return null
  const onseq = opts.onseq ?? null
  const len = lookupLength(target, !!opts.prefix)
  if (onseq) onseq(headSeq)
  let r = src.read(headSeq, opts)
  let node = r instanceof Promise ? await r : r

  for (let i = 0; i < len; i++) {
    if (node === null) return null
    const v = target.digit(i)
    const end = isComponentEnd(i)
    if (node.digit(i) === v && (!end || !target.collides(node, i))) continue
    if (end) {
      // every colliding sibling with digit v sits in slots v, v+5, ...; pick the one whose
      // component matches (the last one when several do, as the original's arrival order gives)
      const pending: (TrieNode | null | Promise<TrieNode | null>)[] = []
      for (let j = v; ; j += 5) {
        const s = node.slot(i, j)
        if (!s) break
        if (onseq) onseq(s)
        pending.push(src.read(s, opts))
      }
      const loaded = await Promise.all(pending)
      let found: TrieNode | null = null
      for (const n of loaded) if (n !== null && !n.collides(target, i)) found = n
      // the original answers null here even with `closest`
      if (found === null) return null
      node = found
      continue
    }

    const s = node.slot(i, v)
    if (!s) return opts.closest ? node : null
    if (onseq) onseq(s)
    r = src.read(s, opts)
    node = r instanceof Promise ? await r : r
  }
  return node
}

/**
 * The same walk when every node it needs is cached: the node (or null), or undefined as soon as
 * a node would have to be read (the caller then runs `lookup`). Reports no seqs and never waits,
 * so gets of a local trie cost no promise per level.
 */
export function lookupCached(
  src: NodeSource,
  headSeq: number,
  target: TrieNode,
  prefix: boolean,
  closest: boolean,
): TrieNode | null | undefined {
  if (!headSeq) return null
  const len = lookupLength(target, prefix)
  let node = src.peek(headSeq)
  if (node === undefined) return undefined

  for (let i = 0; i < len; i++) {
    if (node === null) return null
    const v = target.digit(i)
    const end = isComponentEnd(i)
    if (node.digit(i) === v && (!end || !target.collides(node, i))) continue
    if (end) {
      let found: TrieNode | null = null
      for (let j = v; ; j += 5) {
        const s = node.slot(i, j)
        if (!s) break
        const n = src.peek(s)
        if (n === undefined) return undefined
        if (n !== null && !n.collides(target, i)) found = n
      }
      if (found === null) return null
      node = found
      continue
    }
    const s = node.slot(i, v)
    if (!s) return closest ? node : null
    node = src.peek(s)
    if (node === undefined) return undefined
  }
  return node
}
