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

/** Whether `node` already lies on the target's path at digit `i` (its digit `v`). */
function staysOn(node: TrieNode, target: TrieNode, i: number, v: number, end: boolean): boolean {
  return node.digit(i) === v && (!end || !target.collides(node, i))
}

/** Seqs of the siblings colliding at a component end: digit `v` sits in slots v, v+5, ... */
function siblingSeqs(node: TrieNode, i: number, v: number): number[] {
  const seqs: number[] = []
  for (let j = v; ; j += 5) {
    const s = node.slot(i, j)
    if (!s) return seqs
    seqs.push(s)
  }
}

/**
 * The sibling whose component matches the target's (the last one when several do, as the
 * original's arrival order gives), or null.
 */
function pickSibling(
  siblings: readonly (TrieNode | null)[],
  target: TrieNode,
  i: number,
): TrieNode | null {
  let found: TrieNode | null = null
  for (const n of siblings) if (n !== null && !n.collides(target, i)) found = n
  return found
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
    if (staysOn(node, target, i, v, end)) continue
    if (end) {
      const seqs = siblingSeqs(node, i, v)
      if (onseq) for (const s of seqs) onseq(s)
      const found = pickSibling(await Promise.all(seqs.map((s) => src.read(s, opts))), target, i)
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
    if (staysOn(node, target, i, v, end)) continue
    if (end) {
      const siblings: (TrieNode | null)[] = []
      for (const s of siblingSeqs(node, i, v)) {
        const n = src.peek(s)
        if (n === undefined) return undefined
        siblings.push(n)
      }
      const found = pickSibling(siblings, target, i)
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
