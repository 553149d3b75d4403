// A program run inside a network namespace by nat.test.ts (bundled with esbuild first): a DHT
// bootstrap node, or a swarm that joins a topic and exchanges one message per connection.
// It reports JSON lines on stdout and exits when stdin closes.
import { createHash } from 'node:crypto'
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

  const [bootstrap, topicHex, mode, message, bulkSize] = args
  // After its one-line message each side sends `bulkSize` deterministic bytes and ends; the other
  // side reports what arrived, so the test sees replication-sized traffic cross both NATs.
  const bulk = deterministicBytes(message, Number(bulkSize ?? 0))
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
    const chunks: Buffer[] = []
    socket.on('data', (data: Buffer) => chunks.push(data))
    socket.on('end', () => {
      const all = Buffer.concat(chunks)
      const nl = all.indexOf(10)
      const rest = all.subarray(nl + 1)
      report({
        event: 'received',
        type: info.type,
        text: all.subarray(0, nl).toString(),
        bulkLength: rest.length,
        bulkSha: createHash('sha256').update(rest).digest('hex'),
      })
    })
    socket.write(`${message}\n`)
    socket.end(bulk)
    report({ event: 'sent', sha: createHash('sha256').update(bulk).digest('hex') })
  })
  swarm.on('connect-failed', (err) => report({ event: 'connect-failed', message: err.message }))
  const topic = Buffer.from(topicHex, 'hex')
  await swarm.join(topic, { announce: mode === 'announce', lookup: mode === 'lookup' })
  report({ event: 'joined', port: swarm.address()?.port })
}

function deterministicBytes(seed: string, size: number): Buffer {
  const out = Buffer.alloc(size)
  let block = createHash('sha256').update(seed).digest()
  for (let i = 0; i < size; i += block.length) {
    block.copy(out, i)
    block = createHash('sha256').update(block).digest()
  }
  return out
}

main().catch((err: unknown) => {
  report({ event: 'error', message: err instanceof Error ? err.stack : String(err) })
  process.exit(1)
})
