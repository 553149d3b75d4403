// Small reads and writes of an open random-access-file go straight to the OS (pread/pwrite on the
// calling thread): a thread-pool round trip costs several times the copy to or from the page
// cache. A write has reached the OS before the caller's promise resolves, exactly as with the
// queued path, so a kill after it loses nothing.
import fs from 'node:fs'
import RandomAccessFile from 'random-access-file'
import type { RandomAccessStorage } from 'random-access-memory'

/** Larger transfers (big-file batches) stay on the thread pool, in parallel with hashing. */
const NOW_LIMIT = 64 * 1024

/** The random-access-storage v3 state that says whether the file is open for writing, idle. */
interface OpenFileState {
  fd: number
  writing: boolean
  suspended: boolean
  _needsOpen: boolean
  _queued: unknown[]
}

/** Writes `data` at `offset` now when `st` is an idle, open-for-writing file; false otherwise. */
/** Whether `st` is a random-access-file open for writing with nothing queued. */
function writable(st: RandomAccessStorage): boolean {
  if (!(st instanceof RandomAccessFile)) return false
  const file = st as unknown as OpenFileState
  if (!st.opened || st.closed || !file.writing || file.suspended || file._needsOpen) return false
  return file._queued.length === 0 && typeof file.fd === 'number' && file.fd > 0
}

export function writeNow(st: RandomAccessStorage, offset: number, data: Buffer): boolean {
  if (data.length > NOW_LIMIT || !writable(st)) return false
  const file = st as unknown as OpenFileState
  let done = 0
  while (done < data.length) {
    done += fs.writeSync(file.fd, data, done, data.length - done, offset + done)
  }
  return true
}

/**
 * Reads [offset, offset + size) now when `st` is an idle, open file; null otherwise. Throws, as
 * random-access-file does, when the file is shorter.
 */
export function readNow(st: RandomAccessStorage, offset: number, size: number): Buffer | null {
  if (size > NOW_LIMIT || !(st instanceof RandomAccessFile)) return null
  const file = st as unknown as OpenFileState
  if (!st.opened || st.closed || file.suspended || file._needsOpen) return null
  if (file._queued.length > 0 || typeof file.fd !== 'number' || file.fd <= 0) return null
  // Its own memory, not a slice of the shared pool: a 40-byte node kept in a cache would pin 8 KiB.
  const buf = Buffer.allocUnsafeSlow(size)
  let done = 0
  while (done < size) {
    const n = fs.readSync(file.fd, buf, done, size - done, offset + done)
    if (n === 0) throw new Error('Could not satisfy length')
    done += n
  }
  return buf
}

/**
 * Writes `datas` back to back from `offset` now (one vectored write, no concatenation) when `st`
 * is an idle, open-for-writing file and they are small; false otherwise.
 */
export function writevNow(
  st: RandomAccessStorage,
  offset: number,
  datas: readonly Buffer[],
  total: number,
): boolean {
  if (total > NOW_LIMIT || !writable(st)) return false
  const fd = (st as unknown as OpenFileState).fd
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
