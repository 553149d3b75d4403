// Typed errors of @hyperstack/hypercore: each has a stable `code` callers can switch on.

export class HypercoreError extends Error {
  readonly code: string
  constructor(code: string, message: string) {
    super(message)
    this.name = 'HypercoreError'
    this.code = code
  }
}

function define(code: string, name: string): new (message: string) => HypercoreError {
  const Cls = class extends HypercoreError {
    constructor(message: string) {
      super(code, message)
      this.name = name
    }
  }
  Object.defineProperty(Cls, 'name', { value: name })
  return Cls
}

/** A signature over the roots did not verify against the public key. */
export const InvalidSignatureError = define('ERR_INVALID_SIGNATURE', 'InvalidSignatureError')
/** A proof did not connect the block to a trusted node or to signed roots. */
export const BadProofError = define('ERR_BAD_PROOF', 'BadProofError')
/** A peer sent something we did not ask for or that breaks the protocol. */
export const InvalidMessageError = define('ERR_INVALID_MESSAGE', 'InvalidMessageError')
/** The core has no secret key, so it cannot append. */
export const NotWritableError = define('ERR_NOT_WRITABLE', 'NotWritableError')
/** A block above the 8 MiB limit the original enforces. */
export const BlockTooLargeError = define('ERR_BLOCK_TOO_LARGE', 'BlockTooLargeError')
/** The requested block is not stored locally and waiting was not allowed. */
export const BlockNotAvailableError = define('ERR_BLOCK_NOT_AVAILABLE', 'BlockNotAvailableError')
/** A wait (get, update, seek) exceeded its timeout. */
export const TimeoutError = define('ERR_TIMEOUT', 'TimeoutError')
/** The core (or the operation's peer) was closed while the operation waited. */
export const ClosedError = define('ERR_CLOSED', 'ClosedError')
/** An operation was cancelled (download cancelled, undownload). */
export const CancelledError = define('ERR_CANCELLED', 'CancelledError')
/** A byte offset or index past the end of the log. */
export const OutOfBoundsError = define('ERR_OUT_OF_BOUNDS', 'OutOfBoundsError')
/** The storage holds another core than the key passed in. */
export const KeyMismatchError = define('ERR_KEY_MISMATCH', 'KeyMismatchError')
/** `createIfMissing: false` and there is no core in storage. */
export const NoCoreError = define('ERR_NO_CORE', 'NoCoreError')
/** A stored tree node is missing (all-zero slot) or a stored file is corrupt. */
export const CorruptStorageError = define('ERR_CORRUPT_STORAGE', 'CorruptStorageError')
/** An argument of the wrong type or shape. */
export const InvalidArgumentError = define('ERR_INVALID_ARGUMENT', 'InvalidArgumentError')
/** Too many blocks a peer sent without being asked. */
export const UnrequestedDataError = define('ERR_UNREQUESTED_DATA', 'UnrequestedDataError')

/**
 * An error made where its stack would show only a timer or a microtask (a wait that ended with
 * no block or no update): skipping the stack capture makes these expected outcomes cheap. A
 * replica's reads with alwaysUpdate end one such wait per read.
 */
export function withoutStack<E extends Error>(make: () => E): E {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    return make()
  } finally {
    Error.stackTraceLimit = limit
  }
}
