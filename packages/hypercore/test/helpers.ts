// Shared test helpers: temp folders, vector loading, sha256, streams between cores and raw peers.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ProtocolStream } from '@hyperstack/hypercore-protocol'
import RAM from 'random-access-memory'
import { afterEach } from 'vitest'
import { Hypercore, type HypercoreOptions, type RandomAccessStorage } from '../src/index.js'

export const VECTORS = `${process.env.HYPERSTACK_SHARED}/spec/vectors`

export function loadVector<T>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(VECTORS, name), 'utf-8')) as T
}

export function tmpDir(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hypercore-test-'))
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) }
}

export function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex')
}

/** An in-memory storage function whose files survive a close (to test reopening). */
export function memoryStorage(): (name: string) => RandomAccessStorage {
  const files = new Map<string, RAM>()
  return (name: string) => {
    const existing = files.get(name)
    if (existing) {
      const clone = existing.clone()
      files.set(name, clone)
      return clone
    }
    const file = new RAM()
    files.set(name, file)
    return file
  }
}

/** Replicates `a` (initiator) and `b` live over an in-process stream pair; returns the closer. */
export function replicateLive(a: Hypercore, b: Hypercore): () => void {
  const s1 = a.replicate(true, { live: true })
  const s2 = b.replicate(false, { live: true })
  s1.pipe(s2).pipe(s1)
  return () => {
    s1.destroy()
    s2.destroy()
  }
}

/**
 * A raw protocol stream (a peer a test drives by hand, often a hostile one) connected to
 * `core`'s replication stream. The core's side is read by hand, so `victim.pause()` makes a peer
 * that stops reading what the core sends. `end` destroys both.
 */
export function rawPeer(core: Hypercore): {
  stream: ProtocolStream
  victim: ProtocolStream
  end: () => void
} {
  const stream = new ProtocolStream(true, { live: true })
  const victim = core.replicate(false, { live: true })
  stream.on('error', () => {})
  victim.on('error', () => {})
  stream.pipe(victim)
  victim.on('data', (chunk: Buffer) => stream.write(chunk))
  return {
    stream,
    victim,
    end: () => {
      stream.destroy()
      victim.destroy()
    },
  }
}

/** The varint encoding of `n`, for any safe integer (hand-made hostile messages name huge ones). */
export function varintBytes(n: number): Buffer {
  const out: number[] = []
  for (; n >= 128; n = Math.floor(n / 128)) out.push((n % 128) | 128)
  out.push(n)
  return Buffer.from(out)
}

/**
 * Cleanups run newest first after each test of the calling file (call it at its top level),
 * and `memoryCore`: a core in memory that closes with them.
 */
export function closedAfterEach(): {
  closers: (() => unknown)[]
  memoryCore: (key?: Buffer | null, opts?: HypercoreOptions) => Hypercore
} {
  const closers: (() => unknown)[] = []
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close()
  })
  const memoryCore = (key?: Buffer | null, opts: HypercoreOptions = {}) => {
    const core = new Hypercore(memoryStorage(), key ?? undefined, opts)
    closers.push(() => core.close())
    return core
  }
  return { closers, memoryCore }
}
