// Run by drive-nat.test.ts with plain Node inside a network namespace, on the built packages
// (dist/, resolved through packages/examples/node_modules):
//   dht <host> <port>                           the public DHT node
//   writer <dht host:port> <host> <folder>      copies the folder's files into a drive in memory
//                                               and announces it
//   reader <dht host:port> <host> <key>         finds the drive by its key, replicates it and
//                                               reads every file
// It reports JSON lines on stdout and exits when its stdin closes.
import { createHash } from 'node:crypto'
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { Hyperdrive } from '@hyperstack/hyperdrive'
import { Hyperswarm } from '@hyperstack/hyperswarm'
import { createBootstrapNode } from '@hyperstack/hyperswarm-dht'
import RAM from 'random-access-memory'

const closers = []

function report(event) {
  process.stdout.write(`${JSON.stringify(event)}\n`)
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex')

async function closeAll() {
  for (const close of closers.reverse()) await close().catch(() => {})
}

function openSwarm(dht, host, drive, opts) {
  const swarm = new Hyperswarm({
    bootstrap: [dht],
    host,
    connectTimeout: 15_000,
    queue: { requeue: [500, 1000, 2000] },
  })
  closers.push(() => swarm.destroy())
  let connected = () => {}
  const firstConnection = new Promise((resolve) => {
    connected = resolve
  })
  swarm.on('connection', (socket, info) => {
    report({
      event: 'connection',
      type: info.type,
      client: info.client,
      remote: info.peer ? `${info.peer.host}:${info.peer.port}` : null,
    })
    const stream = drive.replicate(info.client, { live: true })
    socket.on('error', () => stream.destroy())
    stream.on('error', () => socket.destroy())
    socket.pipe(stream).pipe(socket)
    connected()
  })
  swarm.on('connect-failed', (err) => report({ event: 'connect-failed', message: err.message }))
  const joined = swarm.join(drive.discoveryKey, opts)
  return { swarm, joined, firstConnection }
}

async function dhtNode(host, port) {
  const node = await createBootstrapNode({ host, port: Number(port) })
  closers.push(() => node.destroy())
  node.on('holepunch', (from, to) => report({ event: 'relay', from, to }))
  report({ event: 'ready', port: node.address().port })
}

async function writer(dht, host, folder) {
  const drive = new Hyperdrive(() => new RAM())
  closers.push(() => drive.close())
  await drive.ready()
  const names = await readdir(folder, { recursive: true, withFileTypes: true })
  for (const entry of names.filter((e) => e.isFile())) {
    const file = join(entry.parentPath ?? entry.path, entry.name)
    await drive.writeFile(`/${file.slice(folder.length + 1)}`, await readFile(file))
  }
  const { swarm, joined } = openSwarm(dht, host, drive, { announce: true, lookup: false })
  await joined
  report({ event: 'sharing', key: drive.key.toString('hex'), port: swarm.address()?.port })
}

async function reader(dht, host, keyHex) {
  const drive = new Hyperdrive(() => new RAM(), Buffer.from(keyHex, 'hex'))
  closers.push(() => drive.close())
  await drive.ready()
  const { joined, firstConnection } = openSwarm(dht, host, drive, { announce: false, lookup: true })
  await joined
  report({ event: 'looking' })
  await firstConnection
  const started = Date.now()
  // The writer wrote everything before announcing, so the first length a peer reports is final.
  await drive.metadata.update({ minLength: 2 })
  const entries = await drive.readdir('/', { recursive: true, includeStats: true })
  let bytes = 0
  for (const entry of entries.filter((e) => e.stat.isFile())) {
    const data = await drive.readFile(entry.path)
    bytes += data.length
    report({
      event: 'file',
      path: entry.path,
      size: entry.stat.size,
      length: data.length,
      sha256: sha256(data),
    })
  }
  report({ event: 'done', bytes, ms: Date.now() - started })
}

const roles = { dht: dhtNode, writer, reader }

async function main() {
  const [role, ...args] = process.argv.slice(2)
  process.stdin.on('close', async () => {
    await closeAll()
    process.exit(0)
  })
  process.stdin.resume()
  const start = roles[role]
  if (!start) throw new Error(`unknown role ${role}; expected one of ${Object.keys(roles)}`)
  await start(...args)
}

main().catch((err) => {
  report({ event: 'error', message: err instanceof Error ? err.stack : String(err) })
  closeAll().finally(() => process.exit(1))
})
