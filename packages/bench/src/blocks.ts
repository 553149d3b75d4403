// Payloads for the workloads: a small pool of distinct random blocks, reused so that generating
// data never shows up in a measurement.
import { randomFillSync } from 'node:crypto'

/** `count` distinct random buffers of `size` bytes. */
export function blockPool(count: number, size: number): Buffer[] {
  return Array.from({ length: count }, () => randomFillSync(Buffer.allocUnsafe(size)))
}

/** A deterministic pseudo-random index sequence in [0, max), for reproducible random access. */
export function randomIndexes(count: number, max: number, seed = 1): number[] {
  let state = seed >>> 0 || 1
  const out: number[] = []
  for (let i = 0; i < count; i++) {
    // xorshift32: cheap, good enough to scatter reads.
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    out.push((state >>> 0) % max)
  }
  return out
}

export const KiB = 1024
export const MiB = 1024 * 1024
export const GiB = 1024 * MiB
