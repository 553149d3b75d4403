// Over a real TCP connection on 127.0.0.1: ours as the client, hypercore-protocol@8 as the server.
import { type Server, type Socket, createServer, connect as tcpConnect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { ProtocolStream } from '../../src/index.js'
import { KEY, plain } from '../helpers/messages.js'
import { OriginalProtocol, type OriginalStream } from '../helpers/original.js'
import { deferred } from '../helpers/wait.js'

let server: Server | null = null
const sockets: Socket[] = []

afterEach(async () => {
  for (const s of sockets) s.destroy()
  sockets.length = 0
  if (server) await new Promise<void>((resolve) => server!.close(() => resolve()))
  server = null
})

describe('interop: over TCP', () => {
  it('ours (client, initiator) replicates messages with the original (server, responder)', async () => {
    const got = deferred<unknown>(5000, 'original ondata')
    let remote: OriginalStream | null = null
    server = createServer((socket) => {
      sockets.push(socket)
      remote = new OriginalProtocol(false)
      remote.open(KEY, { ondata: (m: unknown) => got.resolve(plain(m)) })
      socket.pipe(remote).pipe(socket)
    })
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    const address = server.address()
    if (address === null || typeof address === 'string') throw new Error('no port')
    const socket = tcpConnect(address.port, '127.0.0.1')
    sockets.push(socket)
    const ours = new ProtocolStream(true)
    socket.pipe(ours).pipe(socket)
    const opened = deferred<void>()
    const ch = ours.open(KEY, { onopen: () => opened.resolve() })
    await opened.promise
    expect(ours.remoteAddress).toBe('127.0.0.1')
    expect(ours.remoteType).toBe('tcp')
    ch.data({ index: 1, value: Buffer.alloc(200000, 7) })
    expect(await got.promise).toEqual({
      index: 1,
      value: `hex:${Buffer.alloc(200000, 7).toString('hex')}`,
      nodes: [],
      signature: null,
    })
    ours.destroy()
    ;(remote as OriginalStream | null)?.destroy()
  })
})
