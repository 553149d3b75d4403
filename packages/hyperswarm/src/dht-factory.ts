// How a swarm makes its own DHT node: one UDP socket bound on the TCP port number, shared by the
// DHT and the UDP stream transport, so a holepunch opens exactly the mapping the streams use
// (as @hyperswarm/network@2 shares its uTP socket with the DHT).
import dgram from 'node:dgram'
import { DHT } from '@hyperstack/hyperswarm-dht'
import type { DHTFactory } from './swarm.js'
import { UdpStreamTransport } from './udp-transport.js'

export const createDefaultDHT: DHTFactory = async ({ bootstrap, ephemeral, port, host }) => {
  const socket = dgram.createSocket('udp4')
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => {
      socket.removeListener('listening', onListening)
      reject(err)
    }
    const onListening = () => {
      socket.removeListener('error', onError)
      resolve()
    }
    socket.once('error', onError)
    socket.once('listening', onListening)
    socket.bind(port, host)
  }).catch(async (err: unknown) => {
    await closeSocket(socket)
    throw err
  })
  const dht = new DHT({ bootstrap, ephemeral, socket, host })
  const udp = new UdpStreamTransport(socket)
  return {
    dht,
    udp,
    port: socket.address().port,
    close: () => closeSocket(socket),
  }
}

function closeSocket(socket: dgram.Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve())
    } catch {
      resolve()
    }
  })
}
