// Two swarms behind two different masquerading NATs connect by UDP holepunching through a DHT
// node on the public side (network namespaces; skipped with a printed reason where unavailable).
import { type ChildProcessByStdio, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, realpathSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type NatNetwork, createNatNetwork, natUnsupportedReason } from './netns.js'

const reason = natUnsupportedReason()
if (reason !== null) console.warn(`[hyperswarm NAT test] skipped: ${reason}`)

const here = fileURLToPath(new URL('.', import.meta.url))
const packages = join(here, '..', '..', '..')

interface EsbuildLike {
  build(opts: Record<string, unknown>): Promise<unknown>
}

/** esbuild as vitest's own vite depends on it (no extra dependency). */
function loadEsbuild(): EsbuildLike {
  const vitest = realpathSync(join(packages, '..', 'node_modules', 'vitest', 'package.json'))
  const vite = createRequire(vitest).resolve('vite/package.json')
  return createRequire(vite)('esbuild') as EsbuildLike
}

type Event = Record<string, unknown> & { event: string }

class Program {
  readonly events: Event[] = []
  private waiters: Array<() => void> = []
  stderr = ''

  constructor(readonly child: ChildProcessByStdio<Writable, Readable, Readable>) {
    let buffered = ''
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk
      let nl = buffered.indexOf('\n')
      while (nl !== -1) {
        const line = buffered.slice(0, nl)
        buffered = buffered.slice(nl + 1)
        nl = buffered.indexOf('\n')
        try {
          this.events.push(JSON.parse(line) as Event)
        } catch {
          continue
        }
        for (const wake of this.waiters.splice(0)) wake()
      }
    })
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (chunk: string) => {
      this.stderr += chunk
    })
  }

  /** The first event matching `match`, waiting up to `ms`. */
  async next(match: (e: Event) => boolean, ms: number, what: string): Promise<Event> {
    const deadline = Date.now() + ms
    for (;;) {
      const found = this.events.find(match)
      if (found) return found
      const failed = this.events.find((e) => e.event === 'error')
      if (failed) throw new Error(`program failed: ${String(failed.message)}`)
      const left = deadline - Date.now()
      if (left <= 0) {
        throw new Error(
          `timed out waiting for ${what}; events ${JSON.stringify(this.events)} ${this.stderr}`,
        )
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  /** Closes stdin (the program cleans up and exits); kills it if it lingers. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()))
    this.child.stdin.end()
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  }
}

describe.skipIf(reason !== null)('NAT traversal (network namespaces)', () => {
  let net: NatNetwork
  let dir: string
  let bundle: string
  const programs: Program[] = []

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hyperswarm-nat-'))
    bundle = join(dir, 'nat-peer.cjs')
    await loadEsbuild().build({
      entryPoints: [join(here, 'nat-peer.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: bundle,
      alias: { '@hyperstack/hyperswarm-dht': join(packages, 'hyperswarm-dht', 'src', 'index.ts') },
      external: ['sodium-native'],
      logLevel: 'silent',
    })
    net = createNatNetwork()
  })

  afterAll(async () => {
    // Peers first (they unannounce through the node), the DHT node last.
    for (const p of programs.reverse()) await p.stop()
    net?.destroy()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  function run(namespace: string, args: string[]): Program {
    const child = spawn('ip', ['netns', 'exec', namespace, process.execPath, bundle, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      // sodium-native is left out of the bundle; it loads from the DHT package's dependencies.
      env: { ...process.env, NODE_PATH: join(packages, 'hyperswarm-dht', 'node_modules') },
    })
    const program = new Program(child)
    programs.push(program)
    return program
  }

  it('two peers behind different NATs connect over UDP after a holepunch via the DHT node', async () => {
    const port = 49737
    const bootstrap = `${net.bootstrapHost}:${port}`
    const topic = randomBytes(32).toString('hex')

    const node = run(net.namespaces.pub, ['bootstrap', net.bootstrapHost, String(port)])
    await node.next((e) => e.event === 'ready', 15_000, 'the bootstrap node')

    const a = run(net.namespaces.hostA, ['peer', bootstrap, topic, 'announce', 'hello from a'])
    const joinedA = await a.next((e) => e.event === 'joined', 15_000, 'A to announce')
    const b = run(net.namespaces.hostB, ['peer', bootstrap, topic, 'lookup', 'hello from b'])

    // B dials A's public (masqueraded) address: TCP is dropped by A's router, the UDP stream
    // through the holepunched mappings gets through.
    const atB = await b.next((e) => e.event === 'connection', 20_000, 'B to connect')
    expect(atB.type).toBe('udp')
    expect(atB.client).toBe(true)
    expect(String(atB.remote)).toBe(`${net.publicA}:${String(joinedA.port)}`)
    const atA = await a.next((e) => e.event === 'connection', 10_000, 'A to accept')
    expect(atA.type).toBe('udp')
    expect(atA.client).toBe(false)

    const gotB = await b.next((e) => e.event === 'data', 10_000, 'data at B')
    expect(gotB.data).toBe('hello from a')
    const gotA = await a.next((e) => e.event === 'data', 10_000, 'data at A')
    expect(gotA.data).toBe('hello from b')

    // The public node relayed B's holepunch to A, naming both public addresses.
    const relay = await node.next((e) => e.event === 'relay', 5000, 'the relay')
    expect((relay.from as { host: string }).host).toBe(net.publicB)
    expect((relay.to as { host: string }).host).toBe(net.publicA)
  }, 60_000)
})
