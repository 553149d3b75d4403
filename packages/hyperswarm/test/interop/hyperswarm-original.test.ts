// Interop with hyperswarm@2.15.3 over our DHT: each side finds and dials the other over TCP, and
// deduplication keeps the same single connection on both sides; without a DHT our multicast DNS
// finds its announce. Runs in a network namespace
// with only `lo` (the original binds every address and multicasts mDNS).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Program, bundleProgram, runProgram } from '../child-program.js'

function namespaceReason(): string | null {
  if (process.platform !== 'linux') return 'network namespaces need Linux'
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    return 'creating a network namespace needs root'
  }
  try {
    execFileSync('sh', ['-c', 'command -v ip'], { stdio: 'ignore' })
  } catch {
    return "the 'ip' command is not installed"
  }
  return null
}

const reason = namespaceReason()
if (reason !== null) console.warn(`[hyperswarm interop test] skipped: ${reason}`)

describe.skipIf(reason !== null)('interop with hyperswarm@2 (own namespace, loopback only)', () => {
  const namespace = `hsi${process.pid % 100000}`
  let dir: string
  let program: Program | null = null

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hyperswarm-interop-'))
    execFileSync('ip', ['netns', 'add', namespace])
    execFileSync('ip', ['-n', namespace, 'link', 'set', 'lo', 'up'])
  })

  afterAll(async () => {
    await program?.stop()
    try {
      execFileSync('ip', ['netns', 'del', namespace])
    } catch {}
    rmSync(dir, { recursive: true, force: true })
  })

  it('finds and connects both ways (DHT and mDNS), and dedups to the same connection', async () => {
    const bundle = join(dir, 'interop-peer.cjs')
    await bundleProgram(fileURLToPath(new URL('./interop-peer.ts', import.meta.url)), bundle)
    const original = realpathSync(
      fileURLToPath(new URL('../../node_modules/hyperswarm', import.meta.url)),
    )
    program = runProgram(bundle, [original], namespace)
    const p = program
    const scenario = (name: string) =>
      p.next((e) => e.event === 'scenario' && e.name === name, 40_000, `scenario ${name}`)

    const theyAnnounce = await scenario('they-announce')
    expect(theyAnnounce.ours).toEqual({ client: true, type: 'tcp', got: 'from theirs' })
    expect(theyAnnounce.theirs).toEqual({ client: false, type: 'tcp', got: 'from ours' })

    const weAnnounce = await scenario('we-announce')
    expect(weAnnounce.ours).toEqual({ client: false, type: 'tcp', got: 'from theirs' })
    expect(weAnnounce.theirs).toEqual({ client: true, type: 'tcp', got: 'from ours' })

    const dedup = await scenario('dedup')
    expect(dedup.ourOpen).toBe(1)
    expect(dedup.theirOpen).toBe(1)
    // Both implementations keep the connection dialled by the side with the smaller id.
    expect(dedup.ourSurvivorIsClient).toBe(dedup.weAreSmaller)

    // With no DHT on either side, multicast DNS alone brings them together.
    const mdns = await scenario('mdns')
    expect(mdns.peer).toEqual({ host: '127.0.0.1', local: true })
    expect(mdns.ours).toEqual({ client: true, got: 'from theirs' })

    await p.next((e) => e.event === 'done', 20_000, 'the program to finish')
  }, 120_000)
})
