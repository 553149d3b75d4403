// A program run by hyperswarm-original.test.ts inside a network namespace that has only `lo`
// (hyperswarm@2 binds every address and multicasts mDNS; there it reaches nothing else).
// It runs a bootstrap node of ours, one swarm of ours and one hyperswarm@2 swarm, and reports
// JSON lines for three scenarios: they announce / we look up, the reverse, and both doing both
// with deduplication. Usage: node bundle <path of the hyperswarm@2 package>.
import { randomBytes } from 'node:crypto'
import type { EventEmitter } from 'node:events'
import { createRequire } from 'node:module'
import type { Duplex } from 'node:stream'
import { createBootstrapNode } from '@hyperstack/hyperswarm-dht'
import { Hyperswarm } from '../../src/index.js'
import type { SwarmSocket } from '../../src/index.js'

interface OriginalInfo {
  client: boolean
  type: string
  deduplicate(localId: Buffer, remoteId: Buffer): boolean
}

interface OriginalSwarm extends EventEmitter {
  connections: Set<Duplex>
  join(key: Buffer, opts: { announce: boolean; lookup: boolean }, onjoin: () => void): void
  flush(cb: (err?: Error | null) => void): void
  destroy(cb: () => void): void
}

type OriginalFactory = (opts: { bootstrap: string[]; ephemeral: boolean }) => OriginalSwarm

function report(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`)
}

/** Writes our id, reads theirs, returns it (the application-level id exchange for dedup). */
function exchangeIds(socket: SwarmSocket | Duplex, id: Buffer): Promise<Buffer> {
  socket.write(id)
  return new Promise((resolve, reject) => {
    let got = Buffer.alloc(0)
    const onData = (chunk: Buffer) => {
      got = Buffer.concat([got, chunk])
      if (got.length < 32) return
      socket.removeListener('data', onData)
      resolve(got.subarray(0, 32))
    }
    socket.on('data', onData)
    socket.once('close', () => reject(new Error('closed before the id arrived')))
  })
}

function firstData(socket: SwarmSocket | Duplex): Promise<string> {
  return new Promise((resolve) => socket.once('data', (d: Buffer) => resolve(d.toString())))
}

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function main(): Promise<void> {
  const originalPath = process.argv[2]
  const hyperswarm = createRequire(`${originalPath}/package.json`)('./swarm.js') as OriginalFactory
  const node = await createBootstrapNode({ host: '127.0.0.1', port: 0 })
  const bootstrap = [`127.0.0.1:${node.address().port}`]
  const destroyOriginal = (s: OriginalSwarm) => new Promise<void>((resolve) => s.destroy(resolve))
  const joinOriginal = (s: OriginalSwarm, key: Buffer, announce: boolean, lookup: boolean) =>
    new Promise<void>((resolve) => s.join(key, { announce, lookup }, resolve))

  // 1: they announce, we look up and dial.
  {
    const topic = randomBytes(32)
    const theirs = hyperswarm({ bootstrap, ephemeral: true })
    const ours = new Hyperswarm({ bootstrap, host: '127.0.0.1' })
    const theirSide = new Promise<{ client: boolean; type: string; got: string }>((resolve) =>
      theirs.once('connection', (socket: Duplex, info: OriginalInfo) => {
        socket.write('from theirs')
        firstData(socket).then((got) => resolve({ client: info.client, type: info.type, got }))
      }),
    )
    const ourSide = new Promise<{ client: boolean; type: string; got: string }>((resolve) =>
      ours.once('connection', (socket, info) => {
        socket.write('from ours')
        firstData(socket).then((got) => resolve({ client: info.client, type: info.type, got }))
      }),
    )
    await joinOriginal(theirs, topic, true, false)
    await ours.join(topic)
    await ours.flush()
    report({
      event: 'scenario',
      name: 'they-announce',
      ours: await ourSide,
      theirs: await theirSide,
    })
    await ours.destroy()
    await destroyOriginal(theirs)
  }

  // 2: we announce, they look up and dial.
  {
    const topic = randomBytes(32)
    const theirs = hyperswarm({ bootstrap, ephemeral: true })
    const ours = new Hyperswarm({ bootstrap, host: '127.0.0.1' })
    const theirSide = new Promise<{ client: boolean; type: string; got: string }>((resolve) =>
      theirs.once('connection', (socket: Duplex, info: OriginalInfo) => {
        socket.write('from theirs')
        firstData(socket).then((got) => resolve({ client: info.client, type: info.type, got }))
      }),
    )
    const ourSide = new Promise<{ client: boolean; type: string; got: string }>((resolve) =>
      ours.once('connection', (socket, info) => {
        socket.write('from ours')
        firstData(socket).then((got) => resolve({ client: info.client, type: info.type, got }))
      }),
    )
    await ours.join(topic, { announce: true, lookup: false })
    await joinOriginal(theirs, topic, false, true)
    report({ event: 'scenario', name: 'we-announce', ours: await ourSide, theirs: await theirSide })
    await ours.destroy()
    await destroyOriginal(theirs)
  }

  // 3: both announce and look up, so both dial; both deduplicate on exchanged ids.
  {
    const topic = randomBytes(32)
    const ourId = randomBytes(32)
    const theirId = randomBytes(32)
    const theirs = hyperswarm({ bootstrap, ephemeral: true })
    const ours = new Hyperswarm({ bootstrap, host: '127.0.0.1' })
    const ourConnections: Array<{ client: boolean; dropped: boolean; duplicate: () => boolean }> =
      []
    const theirConnections: Array<{ client: boolean; dropped: boolean }> = []
    ours.on('connection', (socket, info) => {
      exchangeIds(socket, ourId).then(
        (remote) => {
          const dropped = info.deduplicate(ourId, remote)
          ourConnections.push({ client: info.client, dropped, duplicate: () => info.duplicate })
        },
        () => {},
      )
    })
    theirs.on('connection', (socket: Duplex, info: OriginalInfo) => {
      exchangeIds(socket, theirId).then(
        (remote) => {
          theirConnections.push({ client: info.client, dropped: info.deduplicate(theirId, remote) })
        },
        () => {},
      )
    })
    await joinOriginal(theirs, topic, true, true)
    await ours.join(topic, { announce: true, lookup: true })
    // Join again so they look up after our announce and dial us too.
    await joinOriginal(theirs, topic, true, true)
    await ours.flush()
    await until(
      () => ourConnections.length === 2 && theirConnections.length === 2,
      15_000,
      'two connections on each side',
    )
    await until(
      () => ours.connections.size === 1 && theirs.connections.size === 1,
      15_000,
      'one surviving connection on each side',
    )
    const ourSurvivor = ourConnections.find((c) => !c.dropped && !c.duplicate())
    report({
      event: 'scenario',
      name: 'dedup',
      weAreSmaller: Buffer.compare(ourId, theirId) < 0,
      ourSurvivorIsClient: ourSurvivor?.client ?? null,
      ourOpen: ours.connections.size,
      theirOpen: theirs.connections.size,
    })
    await ours.destroy()
    await destroyOriginal(theirs)
  }

  // 4: no DHT at all: we find their announce through multicast DNS alone (and they find ours).
  {
    const topic = randomBytes(32)
    const theirs = hyperswarm({ bootstrap: [], ephemeral: true })
    const ours = new Hyperswarm({
      bootstrap: [],
      host: '127.0.0.1',
      mdns: { interface: '127.0.0.1' },
    })
    const found = new Promise<{ host: string; local: boolean }>((resolve) =>
      ours.once('peer', (peer) => resolve({ host: peer.host, local: peer.local })),
    )
    const ourSide = new Promise<{ client: boolean; got: string }>((resolve) =>
      ours.once('connection', (socket, info) => {
        socket.write('from ours')
        firstData(socket).then((got) => resolve({ client: info.client, got }))
      }),
    )
    theirs.on('connection', (socket: Duplex) => socket.write('from theirs'))
    await joinOriginal(theirs, topic, true, false)
    await ours.join(topic)
    report({ event: 'scenario', name: 'mdns', peer: await found, ours: await ourSide })
    await ours.destroy()
    await destroyOriginal(theirs)
  }

  await node.destroy()
  report({ event: 'done' })
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    report({ event: 'error', message: err instanceof Error ? err.stack : String(err) })
    process.exit(1)
  },
)
