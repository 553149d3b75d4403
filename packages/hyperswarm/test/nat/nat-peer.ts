// A program run inside a network namespace by nat.test.ts (bundled with esbuild first): a DHT
// bootstrap node, or a swarm that joins a topic and exchanges one message per connection.
// It reports JSON lines on stdout and exits when stdin closes.
import { createBootstrapNode } from '@hyperstack/hyperswarm-dht'
import { Hyperswarm } from '../../src/index.js'
import type { PeerInfo, SwarmSocket } from '../../src/index.js'

function report(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`)
}

async function main(): Promise<void> {
  const [role, ...args] = process.argv.slice(2)
  const closers: Array<() => Promise<unknown>> = []
  process.stdin.on('close', async () => {
    for (const close of closers) await close().catch(() => {})
    process.exit(0)
  })
  process.stdin.resume()

  if (role === 'bootstrap') {
    const [host, port] = args
    const node = await createBootstrapNode({ host, port: Number(port) })
    closers.push(() => node.destroy())
    node.on('holepunch', (from: unknown, to: unknown) => report({ event: 'relay', from, to }))
    report({ event: 'ready', port: node.address().port })
    return
  }

  const [bootstrap, topicHex, mode, message] = args
  const swarm = new Hyperswarm({
    bootstrap: [bootstrap],
    connectTimeout: 15_000,
    queue: { requeue: [500, 1000, 2000] },
  })
  closers.push(() => swarm.destroy())
  swarm.on('connection', (socket: SwarmSocket, info: PeerInfo) => {
    report({
      event: 'connection',
      type: info.type,
      client: info.client,
      remote: info.peer ? `${info.peer.host}:${info.peer.port}` : null,
    })
    socket.on('data', (data: Buffer) =>
      report({ event: 'data', type: info.type, data: data.toString() }),
    )
    socket.write(message)
  })
  swarm.on('connect-failed', (err) => report({ event: 'connect-failed', message: err.message }))
  const topic = Buffer.from(topicHex, 'hex')
  await swarm.join(topic, { announce: mode === 'announce', lookup: mode === 'lookup' })
  report({ event: 'joined', port: swarm.address()?.port })
}

main().catch((err: unknown) => {
  report({ event: 'error', message: err instanceof Error ? err.stack : String(err) })
  process.exit(1)
})
