import type { Bitfield } from './bitfield.js'
// Checking stored blocks against their leaves: crash redo for writers (recoverAppends,
// recoverSignature) and audit.
import { flat } from './commonjs.js'
import { type TreeNode, isBlank, leafHash, readU64, sign, signable } from './crypto.js'
import { CorruptStorageError } from './errors.js'
import { MerkleTree } from './merkle-tree.js'
import type { CoreStorage } from './storage.js'
import { setNode } from './tree-index.js'

const AUDIT_CHUNK = 1024

/** The core state recovery and audit read and update. */
export interface RecoveryContext {
  storage: CoreStorage
  bitfield: Bitfield
  secretKey: Buffer | null
  dataOffset(index: number): Promise<{ offset: number; size: number }>
  syncBitfield(): Promise<void>
}

/** The core members a RecoveryContext is made of (its bitfield loaded). */
export interface RecoverableCore {
  readonly storage: CoreStorage
  readonly bitfield: Bitfield | null
  readonly secretKey: Buffer | null
  dataOffset(index: number): Promise<{ offset: number; size: number }>
  syncBitfield(): Promise<void>
}

/** The recovery context of `core` as it is now (its secret key read once, here). */
export function recoveryContext(core: RecoverableCore): RecoveryContext {
  return {
    storage: core.storage,
    bitfield: core.bitfield as Bitfield,
    secretKey: core.secretKey,
    dataOffset: (i) => core.dataOffset(i),
    syncBitfield: () => core.syncBitfield(),
  }
}

/**
 * Redo after a crash: appends resolve once their tree nodes and data are written, before the
 * bitfield. Blocks past the bitfield whose leaf is stored and whose data hashes to it are
 * appended blocks; take them back (recomputing their parents) so no resolved append is lost.
 */
export async function recoverAppends(ctx: RecoveryContext, length: number): Promise<number> {
  const { storage, bitfield } = ctx
  const storedLeaves = Math.floor(((await storage.treeSlots()) + 1) / 2)
  if (storedLeaves <= length) return length
  const roots = await storage.getNodes(flat.fullRoots(2 * length)).catch(() => null)
  if (!roots) return length
  const merkle = new MerkleTree(roots)
  let offset = merkle.byteLength()
  let n = length
  const created: TreeNode[] = []
  while (n < storedLeaves) {
    // Past the tree's length with its data bit set: cut off by hypercore@9's truncate, which
    // clears tree bits but leaves data bits, leaves and data behind. Our appends set both bits
    // in the same page write, so an append to recover has neither.
    if (bitfield.get(n)) break
    const leafBuf = await storage.readTreeRange(2 * n, 1).catch(() => null)
    if (!leafBuf) break
    const size = readU64(leafBuf, 32)
    const hash = leafBuf.subarray(0, 32)
    if (size === 0 && isBlank(hash)) break
    const data = await storage.readData(offset, size).catch(() => null)
    if (!data || !leafHash(data).equals(hash)) break
    merkle.next(data, created)
    offset += size
    n++
  }
  if (n === length) return length
  await Promise.all(created.map((node) => storage.putNode(node)))
  for (let i = length; i < n; i++) {
    bitfield.set(i, true)
    setNode(bitfield, 2 * i)
  }
  await ctx.syncBitfield()
  return n
}

/**
 * Redo after a crash, the other half: the length comes from the tree bits, and a kill between
 * the bitfield pages of one append can store those while the data bits of the newest blocks are
 * lost. Walking back from the end over unset data bits, every block whose data still hashes to
 * its stored leaf was appended: set its bit again. Stops at the first set bit, the first block
 * that does not verify (a cleared block has no data) and the first empty block.
 */
export async function recoverDataBits(ctx: RecoveryContext, length: number): Promise<number> {
  const { storage, bitfield } = ctx
  const restored: number[] = []
  for (let i = length - 1; i >= 0 && !bitfield.get(i); i--) {
    const leafBuf = await storage.readTreeRange(2 * i, 1).catch(() => null)
    if (!leafBuf) break
    // An empty block proves nothing: cleared and stored look alike, so it stays cleared.
    const size = readU64(leafBuf, 32)
    if (size === 0) break
    const roots = await storage.getNodes(flat.fullRoots(2 * i)).catch(() => null)
    if (!roots) break
    const offset = roots.reduce((n, r) => n + r.size, 0)
    const data = await storage.readData(offset, size).catch(() => null)
    if (!data || !leafHash(data).equals(leafBuf.subarray(0, 32))) break
    restored.push(i)
  }
  if (restored.length === 0) return 0
  for (const i of restored) bitfield.set(i, true)
  await ctx.syncBitfield()
  return restored.length
}

/** Signs `length` again when its slot is empty (Ed25519 is deterministic: the same signature). */
export async function recoverSignature(ctx: RecoveryContext, length: number): Promise<number> {
  const roots = await ctx.storage.getNodes(flat.fullRoots(2 * length)).catch(() => null)
  if (!roots || !ctx.secretKey) return length
  await ctx.storage.putSignatures(length - 1, sign(signable(roots, length), ctx.secretKey))
  return length
}

/** Re-hashes every stored block of [0, length); clears the data bit of any that does not match. */
export async function audit(
  ctx: RecoveryContext,
  length: number,
): Promise<{ valid: number; invalid: number }> {
  const { bitfield, storage } = ctx
  const report = { valid: 0, invalid: 0 }
  const record = (i: number, ok: boolean) => {
    if (ok) report.valid++
    else report.invalid++
    bitfield.set(i, ok)
  }
  // Chunks of blocks: one tree read and one data read each; per block when a chunk read fails
  // (sparse replicas have holes and missing nodes).
  for (let start = 0; start < length; start += AUDIT_CHUNK) {
    const end = Math.min(length, start + AUDIT_CHUNK)
    if (bitfield.indexOf(true, start, end) === -1) continue
    const chunk = await auditChunk(ctx, start, end).catch(() => null)
    if (chunk) {
      for (let i = start; i < end; i++) if (bitfield.get(i)) record(i, chunk[i - start])
      continue
    }
    for (let i = start; i < end; i++) {
      if (!bitfield.get(i)) continue
      let ok = false
      try {
        const leaf = await storage.getNode(2 * i)
        const data = await storage.readData((await ctx.dataOffset(i)).offset, leaf.size)
        ok = leafHash(data).equals(leaf.hash)
      } catch {
        ok = false
      }
      record(i, ok)
    }
  }
  await ctx.syncBitfield()
  return report
}

async function auditChunk(ctx: RecoveryContext, start: number, end: number): Promise<boolean[]> {
  const tree = await ctx.storage.readTreeRange(2 * start, 2 * (end - start) - 1)
  const sizes: number[] = []
  let total = 0
  for (let i = start; i < end; i++) {
    const at = 80 * (i - start)
    const size = readU64(tree, at + 32)
    if (size === 0 && isBlank(tree.subarray(at, at + 32)))
      throw new CorruptStorageError(`No leaf ${2 * i}`)
    sizes.push(size)
    total += size
  }
  const { offset } = await ctx.dataOffset(start)
  const data = await ctx.storage.readData(offset, total)
  const result: boolean[] = []
  let at = 0
  for (let i = start; i < end; i++) {
    const size = sizes[i - start]
    const leaf = tree.subarray(80 * (i - start), 80 * (i - start) + 32)
    result.push(leafHash(data.subarray(at, at + size)).equals(leaf))
    at += size
  }
  return result
}
