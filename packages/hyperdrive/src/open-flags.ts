// open() flags, as fs takes them: a string ('r', 'w+', 'ax'...) or the O_* bits (Linux values,
// as hyperdrive@10 parses them), turned into what the file descriptor may do.
import { constants } from 'node:fs'
import { InvalidArgumentError } from './errors.js'

const { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND, O_EXCL, O_SYNC } = constants
/** The access-mode bits (O_ACCMODE, absent from fs.constants). */
const ACCESS_MODE = 3

const BY_NAME: Record<string, number> = {
  r: O_RDONLY,
  rs: O_RDONLY | O_SYNC,
  sr: O_RDONLY | O_SYNC,
  'r+': O_RDWR,
  'rs+': O_RDWR | O_SYNC,
  'sr+': O_RDWR | O_SYNC,
  w: O_TRUNC | O_CREAT | O_WRONLY,
  wx: O_TRUNC | O_CREAT | O_WRONLY | O_EXCL,
  xw: O_TRUNC | O_CREAT | O_WRONLY | O_EXCL,
  'w+': O_TRUNC | O_CREAT | O_RDWR,
  'wx+': O_TRUNC | O_CREAT | O_RDWR | O_EXCL,
  'xw+': O_TRUNC | O_CREAT | O_RDWR | O_EXCL,
  a: O_APPEND | O_CREAT | O_WRONLY,
  ax: O_APPEND | O_CREAT | O_WRONLY | O_EXCL,
  xa: O_APPEND | O_CREAT | O_WRONLY | O_EXCL,
  as: O_APPEND | O_CREAT | O_WRONLY | O_SYNC,
  sa: O_APPEND | O_CREAT | O_WRONLY | O_SYNC,
  'a+': O_APPEND | O_CREAT | O_RDWR,
  'ax+': O_APPEND | O_CREAT | O_RDWR | O_EXCL,
  'xa+': O_APPEND | O_CREAT | O_RDWR | O_EXCL,
  'as+': O_APPEND | O_CREAT | O_RDWR | O_SYNC,
  'sa+': O_APPEND | O_CREAT | O_RDWR | O_SYNC,
}

export interface OpenMode {
  readable: boolean
  writable: boolean
  /** Writes go after the existing bytes. */
  appending: boolean
  /** The file is emptied on open. */
  truncating: boolean
  /** A missing file is created. */
  creating: boolean
  /** Fails with EEXIST when the file exists. */
  exclusive: boolean
}

/** What `flags` allow; EINVAL for an unknown flag string or access mode. */
export function parseOpenFlags(flags: string | number): OpenMode {
  const bits = typeof flags === 'number' ? flags : BY_NAME[flags]
  if (bits === undefined || !Number.isInteger(bits) || bits < 0) {
    throw new InvalidArgumentError(`Unknown open flags ${JSON.stringify(flags)}`)
  }
  const access = bits & ACCESS_MODE
  if (access === ACCESS_MODE) throw new InvalidArgumentError(`Invalid access mode in flags ${bits}`)
  return {
    readable: access === O_RDONLY || access === O_RDWR,
    writable: access === O_WRONLY || access === O_RDWR,
    appending: (bits & O_APPEND) !== 0,
    truncating: (bits & O_TRUNC) !== 0,
    creating: (bits & O_CREAT) !== 0,
    exclusive: (bits & O_EXCL) !== 0,
  }
}
