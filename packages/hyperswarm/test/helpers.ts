// Test helpers: events with timeouts, loopback servers, cleanup.
import { once } from 'node:events'
import type { EventEmitter } from 'node:events'
import net from 'node:net'

/** Resolves with the event's arguments, or rejects after `ms`. */
export async function waitFor<T extends unknown[]>(
  emitter: EventEmitter,
  event: string,
  ms = 5000,
): Promise<T> {
  const signal = AbortSignal.timeout(ms)
  try {
    return (await once(emitter, event, { signal })) as T
  } catch (err) {
    if (signal.aborted) throw new Error(`timed out after ${ms} ms waiting for '${event}'`)
    throw err
  }
}

/** Polls `check` until true (each check after an event-loop turn), or rejects after `ms`. */
export async function until(check: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** A TCP server on 127.0.0.1 that tracks its sockets so close() ends everything. */
export async function startServer(
  onSocket: (socket: net.Socket) => void = () => {},
): Promise<{ server: net.Server; port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    onSocket(socket)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no TCP address')
  return {
    server,
    port: address.port,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** A port on 127.0.0.1 with nothing listening (bound then released). */
export async function closedPort(): Promise<number> {
  const { port, close } = await startServer()
  await close()
  return port
}
