// Two swarms behind two different masquerading NATs connect by UDP holepunching through a DHT
// node on the public side (network namespaces; skipped with a printed reason where unavailable).
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Program, bundleProgram, runProgram } from '../child-program.js'
import { type NatNetwork, createNatNetwork, natUnsupportedReason } from './netns.js'

const reason = natUnsupportedReason()
if (reason !== null) console.warn(`[hyperswarm NAT test] skipped: ${reason}`)

describe.skipIf(reason !== null)('NAT traversal (network namespaces)', () => {
  let net: NatNetwork
  let dir: string
  let bundle: string
  const programs: Program[] = []

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hyperswarm-nat-'))
    bundle = join(dir, 'nat-peer.cjs')
    await bundleProgram(fileURLToPath(new URL('./nat-peer.ts', import.meta.url)), bundle)
    net = createNatNetwork()
  })

  afterAll(async () => {
    // Peers first (they unannounce through the node), the DHT node last.
    for (const p of programs.reverse()) await p.stop()
    net?.destroy()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  function run(namespace: string, args: string[]): Program {
    const program = runProgram(bundle, args, namespace)
    programs.push(program)
    return program
  }

  it('two peers behind different NATs connect over UDP after a holepunch via the DHT node and move 512 KiB each way', async () => {
    const port = 49737
    const bootstrap = `${net.bootstrapHost}:${port}`
    const topic = randomBytes(32).toString('hex')

    const node = run(net.namespaces.pub, ['bootstrap', net.bootstrapHost, String(port)])
    await node.next((e) => e.event === 'ready', 15_000, 'the bootstrap node')

    const bulk = String(512 * 1024)
    const a = run(net.namespaces.hostA, [
      'peer',
      bootstrap,
      topic,
      'announce',
      'hello from a',
      bulk,
    ])
    const joinedA = await a.next((e) => e.event === 'joined', 15_000, 'A to announce')
    const b = run(net.namespaces.hostB, ['peer', bootstrap, topic, 'lookup', 'hello from b', bulk])

    // B dials A's public (masqueraded) address: TCP is dropped by A's router, the UDP stream
    // through the holepunched mappings gets through.
    const atB = await b.next((e) => e.event === 'connection', 20_000, 'B to connect')
    expect(atB.type).toBe('udp')
    expect(atB.client).toBe(true)
    expect(String(atB.remote)).toBe(`${net.publicA}:${String(joinedA.port)}`)
    const atA = await a.next((e) => e.event === 'connection', 10_000, 'A to accept')
    expect(atA.type).toBe('udp')
    expect(atA.client).toBe(false)

    // 512 KiB each way, intact.
    const gotB = await b.next((e) => e.event === 'received', 20_000, 'data at B')
    const sentA = await a.next((e) => e.event === 'sent', 1000, 'A to send')
    expect(gotB.text).toBe('hello from a')
    expect(gotB.bulkLength).toBe(512 * 1024)
    expect(gotB.bulkSha).toBe(sentA.sha)
    const gotA = await a.next((e) => e.event === 'received', 20_000, 'data at A')
    const sentB = await b.next((e) => e.event === 'sent', 1000, 'B to send')
    expect(gotA.text).toBe('hello from b')
    expect(gotA.bulkLength).toBe(512 * 1024)
    expect(gotA.bulkSha).toBe(sentB.sha)

    // The public node relayed B's holepunch to A, naming both public addresses.
    const relay = await node.next((e) => e.event === 'relay', 5000, 'the relay')
    expect((relay.from as { host: string }).host).toBe(net.publicB)
    expect((relay.to as { host: string }).host).toBe(net.publicA)
  }, 60_000)
})
