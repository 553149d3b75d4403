// Writing a node: walk from the head copying every sibling pointer the new node must keep
// (hypertrie@5's lib/put.js). The walk also finds the node a CAS condition compares against.
import type { MaybeNode, NodeLoader } from './node-source.js'
import { isComponentEnd } from './path-hash.js'
import type { TrieNode } from './trie-node.js'

/**
 * Fills one slot of `node`'s bucket i, as the original's push(): digit slot `val mod 5`, moving
 * up by 5 while occupied, and never storing a seq twice in a bucket or the deleted seq.
 */
export function addPointer(
  node: TrieNode,
  i: number,
  val: number,
  seq: number,
  skipSeq: number,
): void {
  if (seq === skipSeq) return
  val %= 5
  let bucket = node.trie[i]
  if (!bucket) {
    bucket = []
    node.trie[i] = bucket
  }
  while (bucket.length > val && bucket[val]) val += 5
  if (!bucket.includes(seq)) bucket[val] = seq
}

async function resolve(r: MaybeNode | Promise<MaybeNode>): Promise<MaybeNode> {
  return r
}

/**
 * Builds `node.trie` against `head`. Returns the node where the walk ended (the existing node
 * when it has the same key), or null when the trie was empty or a collision lookup found nothing.
 */
export async function walkPut(
  load: NodeLoader,
  node: TrieNode,
  head: TrieNode | null,
  skipSeq: number,
): Promise<TrieNode | null> {
  let i = 0
  walk: while (head !== null) {
    for (; i < node.length; i++) {
      const end = isComponentEnd(i)
      const v = node.digit(i)
      const bucket = head.trie[i]
      const hv = head.digit(i)
      let collidable: number[] | null = null

      if (bucket) {
        for (let j = 0; j < bucket.length; j++) {
          if (j === v && !end) continue // slot v is the new node's own subtree
          const s = bucket[j]
          if (!s) continue
          if (!end) addPointer(node, i, j, s, skipSeq)
          else if (s !== skipSeq) {
            if (collidable === null) collidable = []
            collidable.push(j, s)
          }
        }
      }

      const same = hv === v && (!end || !node.collides(head, i))
      if (!same) addPointer(node, i, hv, head.seq, skipSeq)

      // at a component end, copy the slots whose node has a different component; the original
      // adds them asynchronously, after the diverging head, in request order
      if (collidable !== null) {
        const loaded = await Promise.all(
          collidable.filter((_, k) => k % 2 === 1).map((s) => resolve(load(s))),
        )
        for (let k = 0; k < loaded.length; k++) {
          const other = loaded[k]
          if (other?.collides(node, i)) {
            addPointer(node, i, collidable[2 * k], collidable[2 * k + 1], skipSeq)
          }
        }
      }

      if (same) continue

      if (end) {
        let found: TrieNode | null = null
        if (bucket) {
          const pending: Promise<MaybeNode>[] = []
          for (let j = v; j < bucket.length; j += 5) {
            const s = bucket[j]
            if (!s) break
            pending.push(resolve(load(s)))
          }
          for (const n of await Promise.all(pending))
            if (n !== null && !n.collides(node, i)) found = n
        }
        if (found === null) return null
        head = found
        i++
        continue walk
      }

      const s = bucket ? bucket[v] : 0
      if (!s) break
      const r = load(s)
      head = r instanceof Promise ? await r : r
      i++
      continue walk
    }
    return head
  }
  return null
}
