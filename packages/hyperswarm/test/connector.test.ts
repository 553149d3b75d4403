import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { connect } from '../src/connector.js'
import { ConnectFailedError, ConnectTimeoutError } from '../src/errors.js'
import { closedPort, startServer } from './helpers.js'

const referrer = { id: null, host: '127.0.0.1', port: 1 }

describe('connect', () => {
  it('connects over TCP and data flows both ways', async () => {
    const srv = await startServer((socket) => socket.pipe(socket))
    try {
      const { socket, isTCP } = await connect({ host: '127.0.0.1', port: srv.port })
      expect(isTCP).toBe(true)
      socket.write('ping')
      const [data] = (await new Promise((resolve) => socket.once('data', (d) => resolve([d])))) as [
        Buffer,
      ]
      expect(data.toString()).toBe('ping')
      socket.destroy()
    } finally {
      await srv.close()
    }
  })

  it('rejects with ConnectFailedError when the port refuses', async () => {
    const port = await closedPort()
    const err = await connect({ host: '127.0.0.1', port }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConnectFailedError)
    expect((err as ConnectFailedError).code).toBe('ERR_CONNECT_FAILED')
    expect(((err as ConnectFailedError).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED')
  })

  it('times out when no transport connects in time', async () => {
    const port = await closedPort()
    const err = await connect(
      { host: '127.0.0.1', port, referrer },
      {
        timeout: 100,
        tcp: false,
        holepunch: () => new Promise(() => {}),
        connectUdp: async () => new PassThrough(),
      },
    ).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConnectTimeoutError)
    expect((err as ConnectTimeoutError).code).toBe('ERR_CONNECT_TIMEOUT')
  })

  it('falls back to the holepunch + UDP path when TCP fails', async () => {
    const port = await closedPort()
    const punched: number[] = []
    const udp = new PassThrough()
    const { socket, isTCP } = await connect(
      { host: '127.0.0.1', port, referrer },
      {
        holepunch: async (peer) => {
          punched.push(peer.port)
        },
        connectUdp: async () => udp,
      },
    )
    expect(isTCP).toBe(false)
    expect(socket).toBe(udp)
    expect(punched).toEqual([port])
    udp.destroy()
  })

  it('does not holepunch peers without a referrer', async () => {
    const port = await closedPort()
    let punches = 0
    const err = await connect(
      { host: '127.0.0.1', port },
      {
        holepunch: async () => {
          punches++
        },
        connectUdp: async () => new PassThrough(),
      },
    ).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConnectFailedError)
    expect(punches).toBe(0)
  })

  it('reports the last failure when holepunch and TCP both fail', async () => {
    const port = await closedPort()
    const err = await connect(
      { host: '127.0.0.1', port, referrer },
      {
        holepunch: () =>
          new Promise((_, reject) => setTimeout(() => reject(new Error('punch')), 50)),
        connectUdp: async () => new PassThrough(),
      },
    ).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConnectFailedError)
    expect(((err as ConnectFailedError).cause as Error).message).toBe('punch')
  })

  it('destroys the losing UDP stream when TCP wins', async () => {
    const srv = await startServer()
    try {
      const udp = new PassThrough()
      let releaseUdp: () => void = () => {}
      const { socket, isTCP } = await connect(
        { host: '127.0.0.1', port: srv.port, referrer },
        {
          holepunch: async () => {},
          connectUdp: () => new Promise((resolve) => (releaseUdp = () => resolve(udp))),
        },
      )
      expect(isTCP).toBe(true)
      releaseUdp()
      await new Promise((resolve) => udp.once('close', resolve))
      expect(udp.destroyed).toBe(true)
      socket.destroy()
    } finally {
      await srv.close()
    }
  })
})
