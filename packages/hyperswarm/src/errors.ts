// Typed errors of @hyperstack/hyperswarm: every failure carries a stable `code`.

export class SwarmError extends Error {
  readonly code: string

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'SwarmError'
    this.code = code
  }
}

/** A topic that is not a 32-byte Uint8Array (as hyperswarm@2's "key is required..."). */
export class InvalidTopicError extends SwarmError {
  constructor(found: string) {
    super('ERR_INVALID_TOPIC', `topic must be a 32-byte Uint8Array, got ${found}`)
    this.name = 'InvalidTopicError'
  }
}

/** join() with both announce and lookup disabled. */
export class InvalidJoinOptionsError extends SwarmError {
  constructor() {
    super(
      'ERR_INVALID_JOIN_OPTIONS',
      'join options must enable lookup, announce or both, but not neither',
    )
    this.name = 'InvalidJoinOptionsError'
  }
}

/** Any operation on a destroyed swarm. */
export class SwarmDestroyedError extends SwarmError {
  constructor() {
    super('ERR_SWARM_DESTROYED', 'swarm has been destroyed')
    this.name = 'SwarmDestroyedError'
  }
}

/** No transport connected within the connect timeout. */
export class ConnectTimeoutError extends SwarmError {
  constructor(host: string, port: number, ms: number) {
    super('ERR_CONNECT_TIMEOUT', `no connection to ${host}:${port} within ${ms} ms`)
    this.name = 'ConnectTimeoutError'
  }
}

/** Every transport attempted for a peer failed; `cause` is the last failure. */
export class ConnectFailedError extends SwarmError {
  constructor(host: string, port: number, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : 'all sockets failed'
    super('ERR_CONNECT_FAILED', `could not connect to ${host}:${port}: ${reason}`, { cause })
    this.name = 'ConnectFailedError'
  }
}

/** The peer was banned through `info.ban()`; the stream is destroyed with this. */
export class PeerBannedError extends SwarmError {
  constructor() {
    super('ERR_PEER_BANNED', 'Peer was banned')
    this.name = 'PeerBannedError'
  }
}

/** The queue forgot the peer (unresponsive, or re-queued after deduplication). */
export class PeerRemovedError extends SwarmError {
  constructor() {
    super('ERR_PEER_REMOVED', 'Peer removed from the queue')
    this.name = 'PeerRemovedError'
  }
}

/** deduplicate() was handed identical local and remote ids. */
export class ConnectedToSelfError extends SwarmError {
  constructor() {
    super('ERR_CONNECTED_TO_SELF', 'Connected to self')
    this.name = 'ConnectedToSelfError'
  }
}

/** A UDP stream peer stopped acknowledging, or sent something we cannot accept. */
export class UdpStreamError extends SwarmError {
  constructor(code: 'ERR_UDP_TIMEOUT' | 'ERR_UDP_RESET' | 'ERR_UDP_CLOSED', message: string) {
    super(code, message)
    this.name = 'UdpStreamError'
  }
}
