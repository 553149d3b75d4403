// Typed errors of Corestore: each has a stable `code` callers can branch on, and each is a
// HypercoreError like the rest of the package's errors.
import { HypercoreError } from './errors.js'

export class CorestoreError extends HypercoreError {
  constructor(code: string, message: string) {
    super(code, message)
    this.name = 'CorestoreError'
  }
}

/** `get`/`default`/`replicate` called before `ready()` resolved (corestore@5 throws too). */
export class CorestoreNotReadyError extends CorestoreError {
  constructor() {
    super('ERR_CORESTORE_NOT_READY', 'Corestore.ready() must resolve before cores are opened')
  }
}

export class CorestoreClosedError extends CorestoreError {
  constructor() {
    super('ERR_CORESTORE_CLOSED', 'Corestore is closed')
  }
}

export class InvalidStorageError extends CorestoreError {
  constructor(found: string) {
    super(
      'ERR_INVALID_STORAGE',
      `Corestore storage must be a folder path or a (name) => storage function, got ${found}`,
    )
  }
}

/** A key, discovery key or master key that is not 32 bytes (or 64 hex characters). */
export class InvalidKeyError extends CorestoreError {
  constructor(what: string, found: string) {
    super('ERR_INVALID_KEY', `${what} must be 32 bytes or 64 hex characters, got ${found}`)
  }
}

export class InvalidCoreOptionsError extends CorestoreError {
  constructor(message: string) {
    super('ERR_INVALID_CORE_OPTIONS', message)
  }
}

/** A core's `name` file derives a key pair whose discovery key is not the folder's. */
export class StoredNameMismatchError extends CorestoreError {
  constructor(discoveryKey: string, derived: string) {
    super(
      'ERR_STORED_NAME_MISMATCH',
      `the name stored for core ${discoveryKey} derives discovery key ${derived}`,
    )
  }
}

/** A core opened by discovery key only, with no key stored for it. */
export class UnknownKeyPairError extends CorestoreError {
  constructor(discoveryKey: string) {
    super('ERR_UNKNOWN_KEY_PAIR', `no key is stored for discovery key ${discoveryKey}`)
  }
}
