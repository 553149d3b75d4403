// Runs drive-peer.mjs with plain Node inside a network namespace and reads the JSON lines it
// reports on stdout.
import { type ChildProcessByStdio, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import type { Readable, Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'

const PEER = fileURLToPath(new URL('./drive-peer.mjs', import.meta.url))

export type PeerEvent = Record<string, unknown> & { event: string }

export class PeerProcess {
  readonly events: PeerEvent[] = []
  private readonly child: ChildProcessByStdio<Writable, Readable, Readable>
  private readonly wakers = new Set<() => void>()
  private output = ''
  private exitCode: number | null | undefined

  constructor(
    readonly name: string,
    namespace: string,
    args: string[],
  ) {
    this.child = spawn('ip', ['netns', 'exec', namespace, process.execPath, PEER, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      try {
        this.events.push(JSON.parse(line) as PeerEvent)
      } catch {
        this.output = (this.output + line).slice(-4000)
      }
      this.wake()
    })
    this.child.stderr.setEncoding('utf8')
    this.child.stderr.on('data', (chunk: string) => {
      this.output = (this.output + chunk).slice(-4000)
    })
    this.child.on('exit', (code) => {
      this.exitCode = code
      this.wake()
    })
  }

  private wake(): void {
    for (const wake of this.wakers) wake()
  }

  /** The first event (seen or still to come) named `name` and passing `where`, within `ms`. */
  async next(
    name: string,
    ms: number,
    where: (e: PeerEvent) => boolean = () => true,
  ): Promise<PeerEvent> {
    const deadline = Date.now() + ms
    for (;;) {
      const found = this.events.find((e) => e.event === name && where(e))
      if (found) return found
      const failed = this.events.find((e) => e.event === 'error')
      if (failed) throw new Error(`${this.name} failed: ${String(failed.message)}`)
      if (this.exitCode !== undefined) {
        throw new Error(`${this.name} exited (${this.exitCode}) before "${name}": ${this.output}`)
      }
      const left = deadline - Date.now()
      if (left <= 0) {
        throw new Error(
          `${this.name}: no "${name}" within ${ms} ms; events ${JSON.stringify(this.events)} ${this.output}`,
        )
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer)
          this.wakers.delete(done)
          resolve()
        }
        const timer = setTimeout(done, left)
        this.wakers.add(done)
      })
    }
  }

  /** Closes its stdin (it cleans up and exits); kills it if it is still running after 5 s. */
  async stop(): Promise<void> {
    if (this.exitCode !== undefined) return
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()))
    this.child.stdin.end()
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  }
}
