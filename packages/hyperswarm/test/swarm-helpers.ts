// Helpers for swarm tests: id exchange for deduplication, connection bookkeeping.
import { randomBytes } from 'node:crypto'
import type { PeerInfo } from '../src/peer-info.js'
import type { SwarmSocket } from '../src/peer.js'
import type { Hyperswarm } from '../src/swarm.js'

/** Reads exactly `n` bytes from the start of `socket`, then pauses it again. */
export function readExactly(socket: SwarmSocket, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let got = Buffer.alloc(0)
    const onData = (chunk: Buffer) => {
      got = Buffer.concat([got, chunk])
      if (got.length < n) return
      cleanup()
      socket.pause()
      if (got.length > n) socket.unshift(got.subarray(n))
      resolve(got.subarray(0, n))
    }
    const onEnd = () => {
      cleanup()
      reject(new Error('stream ended before the id arrived'))
    }
    const cleanup = () => {
      socket.removeListener('data', onData)
      socket.removeListener('close', onEnd)
    }
    socket.on('data', onData)
    socket.once('close', onEnd)
  })
}

export interface Survivor {
  socket: SwarmSocket
  info: PeerInfo
}

/**
 * Wires `swarm` to exchange a 32-byte id on every connection and deduplicate; records the
 * connections that survive (and are not yet closed).
 */
export function dedupOnConnect(swarm: Hyperswarm, id = randomBytes(32)) {
  const survivors = new Set<Survivor>()
  const dropped: PeerInfo[] = []
  let connections = 0
  swarm.on('connection', (socket: SwarmSocket, info: PeerInfo) => {
    connections++
    socket.write(id)
    readExactly(socket, 32).then(
      (remoteId) => {
        if (info.deduplicate(id, remoteId)) {
          dropped.push(info)
          return
        }
        const entry = { socket, info }
        survivors.add(entry)
        info.on('duplicate', () => survivors.delete(entry))
        socket.once('close', () => survivors.delete(entry))
      },
      () => {},
    )
  })
  return {
    id,
    survivors,
    dropped,
    get connections() {
      return connections
    },
  }
}
