// Typed errors of the drive: Node's fs codes (with errno and path) and codec/content errors.

/** Base of every fs-style error: `code` and `errno` as Node's fs sets them, plus the path. */
export class HyperdriveFsError extends Error {
  readonly code: string
  readonly errno: number
  readonly path: string | undefined

  constructor(code: string, errno: number, message: string, path?: string) {
    super(message)
    this.name = new.target.name
    this.code = code
    this.errno = errno
    this.path = path
  }
}

/** ENOENT: nothing is stored at the path. */
export class FileNotFoundError extends HyperdriveFsError {
  constructor(path: string) {
    super('ENOENT', 2, `No such file or directory: '${path}'.`, path)
  }
}

/** EEXIST: the path already has an entry. */
export class PathAlreadyExistsError extends HyperdriveFsError {
  constructor(path: string) {
    super('EEXIST', 17, `Path ${path} already exists.`, path)
  }
}

/** ENOTEMPTY: rmdir of a directory that still has entries. */
export class DirectoryNotEmptyError extends HyperdriveFsError {
  constructor(path: string) {
    super('ENOTEMPTY', 39, `Directory '${path}' is not empty.`, path)
  }
}

/** EISDIR: a file operation on a directory. */
export class IsDirectoryError extends HyperdriveFsError {
  constructor(path: string) {
    super('EISDIR', 21, `Illegal operation on a directory: '${path}'.`, path)
  }
}

/** ENOTDIR: a directory operation on something that is not a directory. */
export class NotDirectoryError extends HyperdriveFsError {
  constructor(path: string) {
    super('ENOTDIR', 20, `Not a directory: '${path}'.`, path)
  }
}

/** EPERM: a write to a read-only drive or checkout. */
export class InvalidPermissionError extends HyperdriveFsError {
  constructor(message: string, path?: string) {
    super('EPERM', 1, message, path)
  }
}

/** EINVAL: a bad argument (path, size, tag name, version...). */
export class InvalidArgumentError extends HyperdriveFsError {
  constructor(message: string, path?: string) {
    super('EINVAL', 22, message, path)
  }
}

/** ELOOP: a symlink chain that does not end. */
export class TooManySymlinksError extends HyperdriveFsError {
  constructor(path: string) {
    super('ELOOP', 40, `Too many levels of symbolic links: '${path}'.`, path)
  }
}

/** EBADF: a file descriptor that is not open (or not open for what was asked of it). */
export class BadFileDescriptorError extends HyperdriveFsError {
  constructor(fd: number, reason?: string, path?: string) {
    super('EBADF', 9, `Bad file descriptor: ${fd}${reason ? ` (${reason})` : ''}`, path)
  }
}

/** A stored Stat, Mount or tag value that does not decode (hostile or corrupt bytes). */
export class InvalidEncodingError extends Error {
  readonly code = 'ERR_INVALID_ENCODING'
  constructor(message: string) {
    super(message)
    this.name = 'InvalidEncodingError'
  }
}

/** The content core disagrees with the Stat (fewer bytes or blocks than the Stat promises). */
export class ContentMismatchError extends Error {
  readonly code = 'ERR_CONTENT_MISMATCH'
  readonly path: string | undefined
  constructor(message: string, path?: string) {
    super(message)
    this.name = 'ContentMismatchError'
    this.path = path
  }
}

/** The drive (or the stream) was closed while an operation was in flight. */
export class DriveClosedError extends Error {
  readonly code = 'ERR_DRIVE_CLOSED'
  constructor() {
    super('The drive is closed.')
    this.name = 'DriveClosedError'
  }
}
