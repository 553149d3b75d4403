// The operations a crash-test writer performs, numbered: operation n is the same in the child
// that runs it and in the test that checks what it left behind.

/** Writes `sizes` bytes in all: with writeFile (one size) or through an fd (one write each). */
export interface WriteOp {
  kind: 'write' | 'fd-write'
  n: number
  path: string
  sizes: number[]
}

export type CrashOp = WriteOp | { kind: 'unlink'; path: string }

export const DIRS = 5
export const FILES_PER_DIR = 17

export const pathOf = (dir: number, file: number): string => `/d${dir}/f${file}`

export function crashOp(n: number): CrashOp {
  const path = pathOf((n * 7) % DIRS, (n * 3) % FILES_PER_DIR)
  if (n % 6 === 5) return { kind: 'unlink', path: pathOf((n * 2) % DIRS, (n * 5) % FILES_PER_DIR) }
  // Several content blocks (the drive writes 64 KiB blocks).
  if (n % 10 === 9) return { kind: 'write', n, path, sizes: [200 * 1024 + n] }
  if (n % 8 === 3) return { kind: 'fd-write', n, path, sizes: [40_000, 80_000 + n] }
  return { kind: 'write', n, path, sizes: [(n * 37) % 3000] }
}

/** The bytes a writing operation leaves in its file; they name it, so a misplaced block shows. */
export function contentsOf(op: WriteOp): Buffer {
  let length = 0
  for (const size of op.sizes) length += size
  const out = Buffer.alloc(length)
  const tag = Buffer.from(`op-${op.n};`)
  for (let at = 0; at < length; at += tag.length) tag.copy(out, at)
  return out
}

/** The files (path → contents) after operations 0..count-1. */
export function filesAfter(count: number): Map<string, Buffer> {
  // Which operation last wrote each path; only those are made into bytes.
  const writers = new Map<string, WriteOp>()
  for (let n = 0; n < count; n++) {
    const op = crashOp(n)
    if (op.kind === 'unlink') writers.delete(op.path)
    else writers.set(op.path, op)
  }
  return new Map([...writers].map(([path, op]) => [path, contentsOf(op)]))
}

/**
 * What the files may be after operations 0..done-1 resolved and operation `done` was cut short:
 * all of it done or none. Opening an fd for writing creates the file empty at once (as POSIX
 * and hyperdrive@10 do), so an fd write may also stop there.
 */
export function outcomesOf(done: number): Map<string, Buffer>[] {
  const before = filesAfter(done)
  const outcomes = [before, filesAfter(done + 1)]
  const op = crashOp(done)
  if (op.kind === 'fd-write') outcomes.push(new Map(before).set(op.path, Buffer.alloc(0)))
  return outcomes
}
