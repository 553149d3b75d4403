// The `Stat` of a drive entry, mirroring hyperdrive-schemas@2's class (fields, defaults, type tests).
import {
  type DecodedMount,
  type StatMetadata,
  type StatMountFields,
  decodeStat,
  encodeStat,
} from './messages/stat-codec.js'

/** Anything a Stat can be built from: a decoded Stat, another Stat, or user options. */
export interface StatInit {
  mode?: number | null
  uid?: number | null
  gid?: number | null
  size?: number | null
  blocks?: number | null
  offset?: number | null
  byteOffset?: number | null
  atime?: number | Date | null
  mtime?: number | Date | null
  ctime?: number | Date | null
  linkname?: string | null
  mount?: StatMountFields | DecodedMount | null
  metadata?: StatMetadata | null
}

const DEFAULT_FILE_MODE = 0o644
const DEFAULT_DIR_MODE = 0o755

function toDate(v: number | Date | null | undefined): Date {
  // As the original: a falsy time (absent or 0) means "now".
  return v ? new Date(v) : new Date()
}

export class Stat {
  static readonly IFSOCK = 0o140000
  static readonly IFLNK = 0o120000
  static readonly IFREG = 0o100000
  static readonly IFBLK = 0o060000
  static readonly IFDIR = 0o040000
  static readonly IFCHR = 0o020000
  static readonly IFIFO = 0o010000

  dev = 0
  nlink = 1
  rdev = 0
  blksize = 0
  ino = 0
  mode: number
  uid: number
  gid: number
  size: number
  offset: number
  byteOffset: number
  blocks: number
  atime: Date
  mtime: Date
  ctime: Date
  linkname: string | null
  mount: StatMountFields | DecodedMount | null
  metadata: StatMetadata | null

  constructor(data?: StatInit | null) {
    this.mode = data?.mode || 0
    this.uid = data?.uid || 0
    this.gid = data?.gid || 0
    this.size = data?.size || 0
    this.offset = data?.offset || 0
    this.byteOffset = data?.byteOffset || 0
    this.blocks = data?.blocks || 0
    this.atime = toDate(data?.atime)
    this.mtime = toDate(data?.mtime)
    this.ctime = toDate(data?.ctime)
    this.linkname = data?.linkname || null
    this.mount = data?.mount || null
    this.metadata = data?.metadata || null
  }

  /** A regular file: the given permission bits (default 0644) with the file type bit. */
  static file(data?: StatInit | null): Stat {
    return new Stat({ ...data, mode: (data?.mode || DEFAULT_FILE_MODE) | Stat.IFREG })
  }

  /** A directory: the given permission bits (default 0755) with the directory type bits. */
  static directory(data?: StatInit | null): Stat {
    return new Stat({ ...data, mode: (data?.mode || DEFAULT_DIR_MODE) | Stat.IFDIR })
  }

  /** A symbolic link: the given permission bits (default 0644) with the link type bits. */
  static symlink(data?: StatInit | null): Stat {
    return new Stat({ ...data, mode: (data?.mode || DEFAULT_FILE_MODE) | Stat.IFLNK })
  }

  /** Decodes stored bytes; throws InvalidEncodingError on malformed input. */
  static decode(buf: Uint8Array): Stat {
    return new Stat(decodeStat(buf))
  }

  /** The hyperdrive-schemas encoding (fields 1-9 always, linkname/mount/metadata when set). */
  encode(): Buffer {
    return encodeStat(this)
  }

  private check(mask: number): boolean {
    return (this.mode & mask) === mask
  }

  isSocket(): boolean {
    return this.check(Stat.IFSOCK)
  }
  /** Note: as in the original, a symlink also answers true to isFile() (its mode contains IFREG). */
  isSymbolicLink(): boolean {
    return this.check(Stat.IFLNK)
  }
  isFile(): boolean {
    return this.check(Stat.IFREG)
  }
  isBlockDevice(): boolean {
    return this.check(Stat.IFBLK)
  }
  isDirectory(): boolean {
    return this.check(Stat.IFDIR)
  }
  isCharacterDevice(): boolean {
    return this.check(Stat.IFCHR)
  }
  isFIFO(): boolean {
    return this.check(Stat.IFIFO)
  }
}
