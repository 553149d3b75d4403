// Typed errors of @hyperstack/hypertrie: every failure carries a stable `code`.

/** Base class of every error this package throws. */
export class HypertrieError extends Error {
  readonly code: string
  constructor(code: string, message: string) {
    super(message)
    this.name = 'HypertrieError'
    this.code = code
  }
}

/** A block could not be decoded as a protobuf message of the expected schema. */
export class DecodeError extends HypertrieError {
  constructor(message: string) {
    super('ERR_DECODE', message)
    this.name = 'DecodeError'
  }
}

/** A node's bucket table points somewhere a well-formed trie never points (itself, newer blocks). */
export class CorruptNodeError extends HypertrieError {
  readonly seq: number
  constructor(seq: number, message: string) {
    super('ERR_CORRUPT_NODE', `node ${seq}: ${message}`)
    this.name = 'CorruptNodeError'
    this.seq = seq
  }
}

/** A write was attempted on a read-only trie (a remote feed or a checkout). */
export class NotWritableError extends HypertrieError {
  constructor(message = 'the trie is not writable') {
    super('ERR_NOT_WRITABLE', message)
    this.name = 'NotWritableError'
  }
}

/** setMetadata after the header block was written. */
export class MetadataError extends HypertrieError {
  constructor(message: string) {
    super('ERR_METADATA', message)
    this.name = 'MetadataError'
  }
}

/** An argument of the wrong shape (a bad key, an unknown value encoding, a bad mount key). */
export class InvalidArgumentError extends HypertrieError {
  constructor(message: string) {
    super('ERR_INVALID_ARGUMENT', message)
    this.name = 'InvalidArgumentError'
  }
}

/** The trie was closed. */
export class ClosedError extends HypertrieError {
  constructor() {
    super('ERR_CLOSED', 'the trie is closed')
    this.name = 'ClosedError'
  }
}

/** Filesystem-style errors of the mount-aware trie (`ELOOP`, `ENOENT`), with `path` set. */
export class TriePathError extends HypertrieError {
  readonly path: string
  constructor(code: 'ELOOP' | 'ENOENT' | 'EINVAL', path: string, message: string) {
    super(code, `${code}: ${message}, '${path}'`)
    this.name = 'TriePathError'
    this.path = path
  }
}
