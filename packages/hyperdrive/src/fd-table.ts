// A drive's open files by number. Numbers start above stdio and go up in twos, as hyperdrive@10
// gives them out; a closed number is given out again (a long-running daemon's table stays small).
import {
  BadFileDescriptorError,
  FileNotFoundError,
  InvalidPermissionError,
  IsDirectoryError,
  PathAlreadyExistsError,
  TooManySymlinksError,
} from './errors.js'
import { type FdDrive, FileDescriptor, keptFields } from './file-descriptor.js'
import { parseOpenFlags } from './open-flags.js'
import { fixName, resolveLinkTarget } from './paths.js'
import type { Stat } from './stat.js'

const FIRST_FD = 20
/** Symlinks followed on open before ELOOP (Linux's limit). */
const MAX_LINKS = 40

/** What opening needs beyond what a descriptor uses. */
export interface FdOpeningDrive extends FdDrive {
  readonly writable: boolean
  lstat(name: string): Promise<Stat>
  create(name: string): Promise<Stat>
}

export class FdTable {
  private readonly slots: (FileDescriptor | null)[] = []

  constructor(private readonly drive: FdOpeningDrive) {}

  /**
   * Opens `name` (normalised) with `flags`, as open(2) and hyperdrive@10's open: symlinks are
   * followed (a dangling one to where its target is created), except by an exclusive create.
   */
  async open(name: string, flags: string | number): Promise<number> {
    const mode = parseOpenFlags(flags)
    if (mode.creating && mode.exclusive && (await this.lstatOrNull(name))) {
      throw new PathAlreadyExistsError(name)
    }
    const { path, st } = await this.follow(name)
    if (st?.isDirectory()) throw new IsDirectoryError(path)
    if (!st && !(mode.writable && mode.creating)) throw new FileNotFoundError(path)
    if (mode.writable && !this.drive.writable) {
      throw new InvalidPermissionError('Cannot open a file for writing on a read-only drive', path)
    }
    const kept = keptFields(st)
    if (mode.writable && mode.truncating && st && st.size > 0) {
      await this.drive.writeFile(path, Buffer.alloc(0), kept)
    } else if (!st) {
      await this.drive.create(path)
    }
    const size = mode.truncating ? 0 : (st?.size ?? 0)
    let slot = this.slots.indexOf(null)
    if (slot === -1) slot = this.slots.push(null) - 1
    const fd = FIRST_FD + 2 * slot
    this.slots[slot] = new FileDescriptor(this.drive, fd, path, mode, size, kept)
    return fd
  }

  /** Where `name`'s symlinks lead, and the Stat there (null when nothing is there). */
  private async follow(name: string): Promise<{ path: string; st: Stat | null }> {
    let path = name
    for (let links = 0; links <= MAX_LINKS; links++) {
      const st = await this.lstatOrNull(path)
      if (!st?.linkname || !st.isSymbolicLink()) return { path, st }
      path = fixName(resolveLinkTarget(path, st.linkname))
    }
    throw new TooManySymlinksError(name)
  }

  private async lstatOrNull(path: string): Promise<Stat | null> {
    try {
      return await this.drive.lstat(path)
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return null
      throw err
    }
  }

  /** The open file `fd` (EBADF when it is not one). */
  get(fd: number): FileDescriptor {
    const slot = (fd - FIRST_FD) / 2
    const desc = Number.isInteger(slot) && slot >= 0 ? this.slots[slot] : undefined
    if (!desc) throw new BadFileDescriptorError(fd)
    return desc
  }

  /** Whether any open file has uncommitted writes (stat then checks its size). */
  get writing(): boolean {
    return this.slots.length > 0 && this.slots.some((desc) => desc?.isWriting)
  }

  /** The size a file being written through a descriptor has reached (null when none is). */
  writtenSize(path: string): number | null {
    for (const desc of this.slots) if (desc?.path === path && desc.isWriting) return desc.size
    return null
  }

  /** Closes `fd`: its writes are committed (their errors surface here). */
  async close(fd: number): Promise<void> {
    const desc = this.get(fd)
    this.slots[(fd - FIRST_FD) / 2] = null
    await desc.close()
  }

  /** Closes every open file (the drive is closing); the first failure is thrown after. */
  async closeAll(): Promise<void> {
    const open = this.slots.filter((d): d is FileDescriptor => d !== null)
    this.slots.length = 0
    const results = await Promise.allSettled(open.map((d) => d.close()))
    for (const r of results) if (r.status === 'rejected') throw r.reason
  }
}
