// Connecting two replication streams: directly in-process, through loopback TCP, optionally
// counting the bytes that cross and delaying them to emulate a link's round-trip time.
import { once } from 'node:events'
import { type Server, type Socket, createServer, connect as tcpConnect } from 'node:net'
import { Transform, type TransformCallback } from 'node:stream'

/** Anything that can be piped into and out of, as replication streams are. */
export interface ReplicationStream extends NodeJS.ReadWriteStream {
  destroy(error?: Error): unknown
}

/** Bytes that crossed a link, each way. */
export interface ByteCounter {
  /** From the first stream to the second. */
  forward: number
  /** From the second stream to the first. */
  backward: number
}

/** A pass-through that counts bytes and can delay each chunk by a fixed latency, in order. */
class LinkSegment extends Transform {
  private pending = Promise.resolve()
  constructor(
    private readonly onBytes: (n: number) => void,
    private readonly delayMs: number,
  ) {
    super()
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.onBytes(chunk.length)
    if (this.delayMs === 0) {
      done(null, chunk)
      return
    }
    // Every chunk leaves delayMs after it arrived; chaining keeps the order.
    const due = Date.now() + this.delayMs
    this.pending = this.pending.then(
      () =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            this.push(chunk)
            resolve()
          }, due - Date.now()),
        ),
    )
    done()
  }
}

export interface LinkOptions {
  /** One-way delay added to every chunk (the round trip is twice this). */
  delayMs?: number
}

/** Pipes `a` and `b` into each other in-process; returns the live byte counter. */
export function connectPair(
  a: ReplicationStream,
  b: ReplicationStream,
  options: LinkOptions = {},
): ByteCounter {
  const counter: ByteCounter = { forward: 0, backward: 0 }
  const delayMs = options.delayMs ?? 0
  a.pipe(new LinkSegment((n) => (counter.forward += n), delayMs)).pipe(b)
  b.pipe(new LinkSegment((n) => (counter.backward += n), delayMs)).pipe(a)
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

/** Pipes `a` through the client socket and `b` through the server socket. */
export function connectOverTcp(a: ReplicationStream, b: ReplicationStream, pair: TcpPair): void {
  a.pipe(pair.client).pipe(a)
  b.pipe(pair.server).pipe(b)
}
