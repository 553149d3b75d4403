// Connecting two replication streams: directly in-process or through loopback TCP, counting the
// bytes that cross and optionally delaying them to emulate a link's round-trip time.
import { once } from 'node:events'
import { type Server, type Socket, createServer, connect as tcpConnect } from 'node:net'

/**
 * The part of a replication stream the link needs; node streams, sockets and streamx streams
 * (which our packages return) all have it, so neither side is wrapped or adapted.
 */
export interface ReplicationStream {
  write(chunk: Uint8Array): boolean
  on(event: 'data', listener: (chunk: unknown) => void): unknown
  on(event: 'drain', listener: () => void): unknown
  pause(): unknown
  resume(): unknown
  destroy(error?: Error): unknown
}

/** Bytes that crossed a link, each way, and how long delayed chunks really took. */
export interface ByteCounter {
  /** From the first stream to the second. */
  forward: number
  /** From the second stream to the first. */
  backward: number
  /** Chunks that went through the delay, both ways. */
  delayedChunks: number
  /**
   * Their summed one-way delay in ms, as it happened: a timer of `delayMs` fires late by up to
   * a millisecond or more (libuv's clock has millisecond steps), so the link's real round trip
   * is longer than twice `delayMs`.
   */
  delayedMs: number
}

/**
 * Forwards every chunk `from` emits into `to`, with backpressure (pause on a full buffer,
 * resume on drain), counting bytes and optionally delaying each chunk by `delayMs` (in order).
 */
function forward(
  from: ReplicationStream,
  to: ReplicationStream,
  onBytes: (n: number) => void,
  delayMs: number,
  onDelayed: (ms: number) => void = () => {},
): void {
  to.on('drain', () => from.resume())
  if (delayMs === 0) {
    from.on('data', (chunk) => {
      const bytes = asBytes(chunk)
      onBytes(bytes.length)
      if (!to.write(bytes)) from.pause()
    })
    return
  }
  // Chunks leave delayMs after they arrived, in arrival order (timers of equal delay fire in
  // the order they were set).
  from.on('data', (chunk) => {
    const bytes = asBytes(chunk)
    onBytes(bytes.length)
    const arrived = performance.now()
    setTimeout(() => {
      onDelayed(performance.now() - arrived)
      if (!to.write(bytes)) from.pause()
    }, delayMs)
  })
}

/** Replication streams emit bytes; anything else is a bug in the stream under test. */
function asBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk
  throw new TypeError(`a replication stream emitted ${typeof chunk}, not bytes`)
}

export interface LinkOptions {
  /** One-way delay added to every chunk (the round trip is twice this). */
  delayMs?: number
}

/** Connects `a` and `b` in-process, each one's output into the other; returns the counter. */
export function connectPair(
  a: ReplicationStream,
  b: ReplicationStream,
  options: LinkOptions = {},
): ByteCounter {
  const counter: ByteCounter = { forward: 0, backward: 0, delayedChunks: 0, delayedMs: 0 }
  const delayMs = options.delayMs ?? 0
  const onDelayed = (ms: number): void => {
    counter.delayedChunks++
    counter.delayedMs += ms
  }
  forward(a, b, (n) => (counter.forward += n), delayMs, onDelayed)
  forward(b, a, (n) => (counter.backward += n), delayMs, onDelayed)
  return counter
}

/** Two ends of a loopback TCP connection, and a way to close everything. */
export interface TcpPair {
  client: Socket
  server: Socket
  close(): Promise<void>
}

/** Opens a TCP connection to ourselves on 127.0.0.1. */
export async function tcpPair(): Promise<TcpPair> {
  const listener: Server = createServer()
  listener.listen(0, '127.0.0.1')
  await once(listener, 'listening')
  const address = listener.address()
  if (address === null || typeof address === 'string') throw new Error('no TCP address')
  const accepted = once(listener, 'connection') as Promise<[Socket]>
  const client = tcpConnect(address.port, '127.0.0.1')
  client.setNoDelay(true)
  await once(client, 'connect')
  const [server] = await accepted
  server.setNoDelay(true)
  return {
    client,
    server,
    async close() {
      client.destroy()
      server.destroy()
      await new Promise<void>((resolve) => listener.close(() => resolve()))
    },
  }
}

/** Connects `a` through the client socket and `b` through the server socket. */
export function connectOverTcp(a: ReplicationStream, b: ReplicationStream, pair: TcpPair): void {
  const ignore = (): void => {}
  forward(a, pair.client, ignore, 0)
  forward(pair.client, a, ignore, 0)
  forward(b, pair.server, ignore, 0)
  forward(pair.server, b, ignore, 0)
}

/** Narrows what a package returns as "a replication stream" to what the link can connect. */
export function asReplicationStream(value: unknown): ReplicationStream {
  const candidate = value as Partial<Record<keyof ReplicationStream, unknown>> | null
  if (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.write === 'function' &&
    typeof candidate.on === 'function' &&
    typeof candidate.pause === 'function' &&
    typeof candidate.resume === 'function' &&
    typeof candidate.destroy === 'function'
  ) {
    return value as ReplicationStream
  }
  throw new TypeError('replicate() did not return a stream')
}
