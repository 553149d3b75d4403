// Runs test programs (TypeScript, bundled with esbuild first) as child processes, optionally
// inside a network namespace, and reads the JSON lines they report.
import { type ChildProcessByStdio, spawn } from 'node:child_process'
import { realpathSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'

const packages = fileURLToPath(new URL('../../', import.meta.url))

interface EsbuildLike {
  build(opts: Record<string, unknown>): Promise<unknown>
}

/** esbuild as vitest's own vite depends on it (no extra dependency). */
function loadEsbuild(): EsbuildLike {
  const vitest = realpathSync(join(packages, '..', 'node_modules', 'vitest', 'package.json'))
  const vite = createRequire(vitest).resolve('vite/package.json')
  return createRequire(vite)('esbuild') as EsbuildLike
}

export type Event = Record<string, unknown> & { event: string }

export class Program {
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

/** Bundles `entry` (and the workspace sources it imports) into one CommonJS file `outfile`. */
export async function bundleProgram(entry: string, outfile: string): Promise<void> {
  await loadEsbuild().build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    alias: { '@hyperstack/hyperswarm-dht': join(packages, 'hyperswarm-dht', 'src', 'index.ts') },
    external: ['sodium-native'],
    logLevel: 'silent',
  })
}

/** Starts `node bundle ...args`, inside `namespace` when given. */
export function runProgram(bundle: string, args: string[], namespace?: string): Program {
  const command = [process.execPath, bundle, ...args]
  const [file, ...rest] = namespace ? ['ip', 'netns', 'exec', namespace, ...command] : command
  const child = spawn(file, rest, {
    stdio: ['pipe', 'pipe', 'pipe'],
    // sodium-native is left out of bundles, and the packages require their CommonJS dependencies
    // at run time (src/commonjs.ts): they load from the DHT package's dependencies.
    env: { ...process.env, NODE_PATH: join(packages, 'hyperswarm-dht', 'node_modules') },
  })
  return new Program(child)
}
