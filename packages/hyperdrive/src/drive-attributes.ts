// chmod, chown and utimes: a Stat's mode, owner and times changed in place (what FUSE's setattr
// asks for), its node's flags and every other field kept. Each sets ctime, as POSIX does.
import type { DriveContext } from './drive-context.js'
import { updateStat } from './drive-links.js'
import { InvalidArgumentError } from './errors.js'

/** The permission bits chmod may set (the file type bits stay). */
const PERMISSION_BITS = 0o7777

/** A time as fs takes it: a Date, or seconds since the epoch. */
export type TimeLike = Date | number

function checkId(name: string, v: number, path: string): void {
  if (!Number.isInteger(v) || v < -1 || v > 0xffffffff)
    throw new InvalidArgumentError(
      `${name} must be an integer id (or -1 to keep it), got ${v}`,
      path,
    )
}

function toDate(t: TimeLike, name: string, path: string): Date {
  const ms = t instanceof Date ? t.getTime() : t * 1000
  if (!Number.isFinite(ms) || ms < 0)
    throw new InvalidArgumentError(`${name} must be a Date or seconds since the epoch`, path)
  return new Date(ms)
}

export async function changeMode(drive: DriveContext, path: string, mode: number): Promise<void> {
  if (!Number.isInteger(mode) || mode < 0 || mode > PERMISSION_BITS)
    throw new InvalidArgumentError(`mode must be permission bits (0 to 0o7777), got ${mode}`, path)
  await updateStat(drive, path, (st) => {
    st.mode = (st.mode & ~PERMISSION_BITS) | mode
    st.ctime = new Date()
  })
}

/** -1 keeps an id, as chown(2). */
export async function changeOwner(
  drive: DriveContext,
  path: string,
  uid: number,
  gid: number,
): Promise<void> {
  checkId('uid', uid, path)
  checkId('gid', gid, path)
  await updateStat(drive, path, (st) => {
    if (uid !== -1) st.uid = uid
    if (gid !== -1) st.gid = gid
    st.ctime = new Date()
  })
}

/** Sets mtime (a Stat stores no atime: `atime` is checked and not kept). */
export async function changeTimes(
  drive: DriveContext,
  path: string,
  atime: TimeLike,
  mtime: TimeLike,
): Promise<void> {
  toDate(atime, 'atime', path)
  const modified = toDate(mtime, 'mtime', path)
  await updateStat(drive, path, (st) => {
    st.mtime = modified
    st.ctime = new Date()
  })
}
