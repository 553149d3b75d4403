import fs from 'node:fs'
import type { RandomAccessStorage } from 'random-access-memory'
// Small reads and writes of an open random-access-file go straight to the OS (pread/pwrite on the
// calling thread): a thread-pool round trip costs several times the copy to or from the page
// cache. A write has reached the OS before the caller's promise resolves, exactly as with the
// queued path, so a kill after it loses nothing.
import { RandomAccessFile } from './commonjs.js'

/** Larger transfers (big-file batches) stay on the thread pool, in parallel with hashing. */
const NOW_LIMIT = 64 * 1024

/** The random-access-storage v3 state that says whether a file is open and idle. */
interface OpenFileState {
  fd: number
  writing: boolean
  suspended: boolean
  _needsOpen: boolean
  _queued: unknown[]
}

/**
 * The descriptor of `st` when it is a random-access-file that is open (for writing, when asked)
 * with nothing queued, so a direct call cannot overtake a queued one; -1 otherwise.
 */
function idleFd(st: RandomAccessStorage, forWriting: boolean): number {
  if (!(st instanceof RandomAccessFile)) return -1
  // Internals of random-access-storage v3 (typed above); the typings expose only the API.
  const file = st as unknown as OpenFileState
  if (!st.opened || st.closed || file.suspended || file._needsOpen) return -1
  if ((forWriting && !file.writing) || file._queued.length > 0) return -1
  return typeof file.fd === 'number' && file.fd > 0 ? file.fd : -1
}

/** Writes `data` at `offset` now when `st` is an idle file open for writing; false otherwise. */
export function writeNow(st: RandomAccessStorage, offset: number, data: Buffer): boolean {
  const fd = data.length > NOW_LIMIT ? -1 : idleFd(st, true)
  if (fd === -1) return false
  let done = 0
  while (done < data.length) done += fs.writeSync(fd, data, done, data.length - done, offset + done)
  return true
}

/**
 * Reads [offset, offset + size) now when `st` is an idle, open file; null otherwise. Throws, as
 * random-access-file does, when the file is shorter.
 */
export function readNow(st: RandomAccessStorage, offset: number, size: number): Buffer | null {
  const fd = size > NOW_LIMIT ? -1 : idleFd(st, false)
  if (fd === -1) return null
  // Its own memory, not a slice of the shared pool: a 40-byte node kept in a cache would pin 8 KiB.
  const buf = Buffer.allocUnsafeSlow(size)
  let done = 0
  while (done < size) {
    const n = fs.readSync(fd, buf, done, size - done, offset + done)
    if (n === 0) throw new Error('Could not satisfy length')
    done += n
  }
  return buf
}

/**
 * Writes `datas` back to back from `offset` now (one vectored write, no concatenation) when `st`
 * is an idle file open for writing and they are small; false otherwise.
 */
export function writevNow(
  st: RandomAccessStorage,
  offset: number,
  datas: readonly Buffer[],
  total: number,
): boolean {
  const fd = total > NOW_LIMIT ? -1 : idleFd(st, true)
  if (fd === -1) return false
  const written = fs.writevSync(fd, datas, offset)
  if (written === total) return true
  // A short vectored write: finish each block from where it stopped.
  let at = 0
  for (const data of datas) {
    let done = Math.min(data.length, Math.max(0, written - at))
    while (done < data.length) {
      done += fs.writeSync(fd, data, done, data.length - done, offset + at + done)
    }
    at += data.length
  }
  return true
}
