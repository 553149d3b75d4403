// A drive replicates between two peers behind two different NATs: neither can reach the other
// directly, so they meet through a DHT node on the public side, which relays a UDP holepunch,
// and the drive crosses both NATs over the resulting UDP stream. The peers are the built
// packages run by plain Node in network namespaces (skipped, with the reason printed, where
// namespaces are unavailable).
import { createHash, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type NatLab, createNatLab, natLabUnsupportedReason } from './netns.js'
import { PeerProcess } from './peer-process.js'

const reason = natLabUnsupportedReason()
if (reason !== null) console.log(`[examples NAT drive test] skipped: ${reason}`)

const BUILT = ['hyperdrive', 'hyperswarm', 'hyperswarm-dht'].map((name) =>
  fileURLToPath(new URL(`../../node_modules/@hyperstack/${name}/dist/index.js`, import.meta.url)),
)
const DHT_PORT = 49838
const KiB = 1024

// Paths in the drive -> contents. The big file is 16 blocks of 64 KiB and a bit.
const FILES: Record<string, Buffer> = {
  '/hello.txt': Buffer.from('hello from behind NAT A\n'),
  '/docs/notes.md': Buffer.from('# notes\n\nreplicated through a holepunch\n'.repeat(50)),
  '/data/big.bin': randomBytes(1024 * KiB + 1234),
  '/data/empty': Buffer.alloc(0),
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

describe.skipIf(reason !== null)('a drive across two NATs (network namespaces)', () => {
  let lab: NatLab | undefined
  let work = ''
  const peers: PeerProcess[] = []

  function start(name: string, namespace: string, args: string[]): PeerProcess {
    const peer = new PeerProcess(name, namespace, args)
    peers.push(peer)
    return peer
  }

  beforeAll(async () => {
    const missing = BUILT.filter((file) => !existsSync(file))
    if (missing.length > 0) {
      throw new Error(`run pnpm build first (from the repository root): missing ${missing}`)
    }
    work = await mkdtemp(join(tmpdir(), 'hyperstack-nat-drive-'))
    for (const [path, bytes] of Object.entries(FILES)) {
      await mkdir(dirname(join(work, path)), { recursive: true })
      await writeFile(join(work, path), bytes)
    }
    lab = createNatLab()
  })

  afterAll(async () => {
    // Peers first (they unannounce through the DHT node), the DHT node last.
    for (const peer of peers.reverse()) await peer.stop()
    lab?.destroy()
    if (work) await rm(work, { recursive: true, force: true })
  })

  it('the reader, knowing only the key, reads every file byte for byte over a holepunched UDP stream', async () => {
    const net = lab!
    const dht = `${net.dhtHost}:${DHT_PORT}`
    const node = start('dht', net.namespaces.pub, ['dht', net.dhtHost, String(DHT_PORT)])
    expect((await node.next('ready', 15_000)).port).toBe(DHT_PORT)

    const writer = start('writer', net.namespaces.hostA, ['writer', dht, net.hostA, work])
    const sharing = await writer.next('sharing', 20_000)
    const key = String(sharing.key)
    expect(key).toMatch(/^[0-9a-f]{64}$/)

    const started = Date.now()
    const reader = start('reader', net.namespaces.hostB, ['reader', dht, net.hostB, key])

    // The reader dials the writer's masqueraded address: TCP is dropped by router A, the UDP
    // stream through the holepunched mappings gets through.
    const atReader = await reader.next('connection', 25_000)
    expect(atReader.type).toBe('udp')
    expect(atReader.client).toBe(true)
    expect(atReader.remote).toBe(`${net.publicA}:${String(sharing.port)}`)
    const atWriter = await writer.next('connection', 10_000)
    expect(atWriter.type).toBe('udp')
    expect(atWriter.client).toBe(false)

    // The public node relayed the holepunch between the two public addresses.
    const relay = await node.next('relay', 5000)
    expect((relay.from as { host: string }).host).toBe(net.publicB)
    expect((relay.to as { host: string }).host).toBe(net.publicA)

    const done = await reader.next('done', 30_000)
    const total = Object.values(FILES).reduce((n, bytes) => n + bytes.length, 0)
    expect(done.bytes).toBe(total)
    const read = reader.events
      .filter((e) => e.event === 'file')
      .map((e) => [e.path, e.size, e.length, e.sha256])
      .sort()
    const expected = Object.entries(FILES)
      .map(([path, bytes]) => [path, bytes.length, bytes.length, sha256(bytes)])
      .sort()
    expect(read).toEqual(expected)
    console.log(
      `[examples NAT drive test] connected over ${String(atReader.type)} and read ${total} bytes in ${Date.now() - started} ms (${String(done.ms)} ms reading)`,
    )
  }, 90_000)
})
