// Verifying a block received from a peer against the signed tree, and storing it (hypercore@9's `put`).
import { flat } from './commonjs.js'
import { type TreeNode, leafHash, parentHash, signable, verifySignable } from './crypto.js'
import { BadProofError, InvalidSignatureError } from './errors.js'

/** What a peer sends with a block: proof nodes in the original's order and maybe a signature. */
export interface Proof {
  nodes: TreeNode[]
  signature: Buffer | null
}

/** The core state `verifyProof` reads (never writes). */
export interface VerifyContext {
  key: Buffer
  length: number
  live: boolean
  hasNode(index: number): boolean
  /** The node when it is in memory (no read), else null. */
  nodeNow(index: number): TreeNode | null
  getNode(index: number): Promise<TreeNode>
}

/** The outcome of a verified proof: what to store. */
export interface VerifiedPut {
  index: number
  data: Buffer | null
  /** The leaf node of `data` (hashed once, here). */
  leaf: TreeNode | null
  /** Tree nodes to store (visited + roots used), not yet present locally. */
  nodes: TreeNode[]
  /** Signature to store at `signatureIndex` (null when the proof reached a trusted node). */
  signature: Buffer | null
  signatureIndex: number
  /** The length the roots prove (0 when verified against a trusted node). */
  length: number
  /** Roots of `length` (for the new byteLength). */
  roots: TreeNode[] | null
}

/** Nodes `indexes` when all are in memory, else null. */
function nodesNow(ctx: VerifyContext, indexes: readonly number[]): TreeNode[] | null {
  const nodes: TreeNode[] = []
  for (const i of indexes) {
    const node = ctx.nodeNow(i)
    if (node === null) return null
    nodes.push(node)
  }
  return nodes
}

/**
 * A peer's proof nodes, checked, as copies whose hashes share one small buffer of their own.
 * Decoded proof nodes are views into the received frame, and the verified ones stay in the node
 * cache: each would keep a 64 KiB block's whole frame in memory for its 32 bytes.
 */
function checkedProofNodes(nodes: readonly TreeNode[]): TreeNode[] {
  const hashes = Buffer.allocUnsafe(32 * nodes.length)
  return nodes.map((n, k) => {
    if (
      !Number.isSafeInteger(n.index) ||
      n.index < 0 ||
      n.hash.length !== 32 ||
      !Number.isSafeInteger(n.size)
    ) {
      throw new BadProofError(`Proof node ${n.index} is malformed`)
    }
    const hash = hashes.subarray(32 * k, 32 * k + 32)
    hash.set(n.hash)
    return { index: n.index, hash, size: n.size }
  })
}

function sameNode(a: TreeNode | null, b: TreeNode): boolean {
  return a !== null && a.index === b.index && a.size === b.size && a.hash.equals(b.hash)
}

/**
 * Checks `data` (or a hash-only answer when null) for block `index` with `proof`, exactly as
 * hypercore@9 does (§7.3): up to a locally trusted node, or up to roots with a valid signature.
 * Throws a typed error when it does not verify. Writes nothing.
 */
export async function verifyProof(
  ctx: VerifyContext,
  index: number,
  data: Buffer | null,
  proof: Proof,
): Promise<VerifiedPut> {
  const remote = checkedProofNodes(proof.nodes)
  let trusted = -1
  const missing: number[] = []
  let next = 2 * index
  let i = data ? 0 : 1
  for (;;) {
    if (ctx.hasNode(next)) {
      trusted = next
      break
    }
    const sib = flat.sibling(next)
    next = flat.parent(next)
    if (i < remote.length && remote[i].index === sib) {
      i++
      continue
    }
    if (!ctx.hasNode(sib)) break
    missing.push(sib)
  }
  if (trusted === -1 && ctx.hasNode(next)) trusted = next

  // Local nodes are mostly in memory (the previous block of a lane brought them): no promises then.
  const localNodes =
    nodesNow(ctx, missing) ?? (await Promise.all(missing.map((m) => ctx.getNode(m))))
  const trustedNode = trusted > -1 ? (ctx.nodeNow(trusted) ?? (await ctx.getNode(trusted))) : null

  const visited: TreeNode[] = []
  let top: TreeNode
  let leaf: TreeNode | null = null
  if (data) {
    top = { index: 2 * index, hash: leafHash(data), size: data.length }
    leaf = top
  } else {
    const first = remote.shift()
    if (!first || first.index !== 2 * index)
      throw new BadProofError(`Hash-only proof for block ${index} lacks its leaf`)
    top = first
  }

  const result = (nodes: TreeNode[]): VerifiedPut => ({
    index,
    data,
    leaf,
    nodes,
    signature: null,
    signatureIndex: -1,
    length: 0,
    roots: null,
  })

  if (sameNode(trustedNode, top)) return result(visited)
  for (;;) {
    const sibIndex = flat.sibling(top.index)
    let node: TreeNode | undefined
    if (remote.length && remote[0].index === sibIndex) {
      node = remote.shift() as TreeNode
      visited.push(node)
    } else if (localNodes.length && localNodes[0].index === sibIndex) {
      node = localNodes.shift() as TreeNode
    } else {
      break
    }
    visited.push(top)
    top = { index: flat.parent(top.index), hash: parentHash(top, node), size: top.size + node.size }
    if (sameNode(trustedNode, top)) return result(visited)
  }

  // No more siblings: `top` must be a root of the signed tree.
  const lastIndex = remote.length ? remote[remote.length - 1].index : top.index
  const verifiedBy = Math.max(flat.rightSpan(top.index), flat.rightSpan(lastIndex)) + 2
  const length = verifiedBy / 2
  const indexes = flat.fullRoots(verifiedBy)
  const roots: TreeNode[] = []
  const extra: TreeNode[] = []
  for (const r of indexes) {
    if (r === top.index) {
      extra.push(top)
      roots.push(top)
    } else if (remote.length && remote[0].index === r) {
      const n = remote.shift() as TreeNode
      extra.push(n)
      roots.push(n)
    } else if (ctx.hasNode(r)) {
      roots.push(ctx.nodeNow(r) ?? (await ctx.getNode(r)))
    } else {
      throw new BadProofError('Missing tree roots needed for verify')
    }
  }
  const checksum = signable(roots, length)
  if (ctx.length && ctx.live && !proof.signature) {
    throw new InvalidSignatureError('Remote did not include a signature')
  }
  if (proof.signature) {
    if (!verifySignable(checksum, proof.signature, ctx.key)) {
      throw new InvalidSignatureError('Remote signature could not be verified')
    }
  } else if (!checksum.subarray(0, 32).equals(ctx.key)) {
    throw new BadProofError('Remote checksum failed')
  }
  return {
    index,
    data,
    leaf,
    nodes: visited.concat(extra),
    signature: proof.signature,
    signatureIndex: proof.signature ? length - 1 : -1,
    length,
    roots,
  }
}
