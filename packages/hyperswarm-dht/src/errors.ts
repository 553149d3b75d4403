// Typed errors of @hyperstack/hyperswarm-dht: each has a stable `code` callers can switch on.

export class DHTError extends Error {
  readonly code: string
  constructor(code: string, message: string) {
    super(message)
    this.name = 'DHTError'
    this.code = code
  }
}

function define(code: string, name: string): new (message: string) => DHTError {
  const Cls = class extends DHTError {
    constructor(message: string) {
      super(code, message)
      this.name = name
    }
  }
  Object.defineProperty(Cls, 'name', { value: name })
  return Cls
}

/** Bytes from the wire that do not decode (truncated, bad varint, wrong wire type, too large). */
export const DecodeError = define('ERR_DECODE', 'DecodeError')
/** A request got no reply after all retries (dht-rpc@4: 3 sends, about 7.5 s). */
export const TimeoutError = define('ETIMEDOUT', 'TimeoutError')
/** A request or query was cancelled because the node was destroyed. */
export const CancelledError = define('ECANCELLED', 'CancelledError')
/** The remote node answered the request with an error string. */
export const RemoteError = define('ERR_REMOTE', 'RemoteError')
/** An iterative query ended without a single reply ("No nodes responded"). */
export const NoNodesRespondedError = define('ERR_NO_NODES_RESPONDED', 'NoNodesRespondedError')
/** An update query got no reply in its update phase ("No close nodes responded"). */
export const NoCloseNodesError = define('ERR_NO_CLOSE_NODES', 'NoCloseNodesError')
/** An argument of the wrong type, size or shape. */
export const InvalidArgumentError = define('ERR_INVALID_ARGUMENT', 'InvalidArgumentError')
/** A mutable put whose seq is not above the stored record's (the original's error string). */
export const SeqMustExceedCurrentError = define(
  'ERR_SEQ_MUST_EXCEED_CURRENT',
  'SeqMustExceedCurrentError',
)
/** A mutable put with the stored seq but another value (the original's error string). */
export const InvalidSeqError = define('ERR_INVALID_SEQ', 'InvalidSeqError')
/** Too many requests are queued locally; the caller should back off. */
export const QueueFullError = define('ERR_QUEUE_FULL', 'QueueFullError')
/** The node is destroyed. */
export const DestroyedError = define('ERR_DESTROYED', 'DestroyedError')
