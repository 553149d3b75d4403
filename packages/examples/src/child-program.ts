// Runs one of the example programs as a child process and reads its --json events as they come.
import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

export interface ProgramEvent {
  event: string
  [field: string]: unknown
}

export class ChildProgram {
  readonly name: string
  readonly child: ChildProcess
  private readonly events: ProgramEvent[] = []
  private readonly waiters: {
    match: (e: ProgramEvent) => boolean
    resolve: (e: ProgramEvent) => void
  }[] = []
  private stderrTail = ''
  readonly exited: Promise<number | null>

  /**
   * `program` is the file name of a built example, e.g. `share.js`, in `opts.dir` (default: the
   * folder this module was loaded from, which is `dist/` when the examples run).
   */
  constructor(
    program: string,
    args: string[],
    opts: { eventsOn: 'stdout' | 'stderr'; dir?: string },
  ) {
    this.name = program.replace(/\.js$/, '')
    const script = opts.dir
      ? join(opts.dir, program)
      : fileURLToPath(new URL(`./${program}`, import.meta.url))
    this.child = spawn(process.execPath, [script, ...args, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const eventStream = opts.eventsOn === 'stdout' ? this.child.stdout : this.child.stderr
    const otherStream = opts.eventsOn === 'stdout' ? this.child.stderr : this.child.stdout
    createInterface({ input: eventStream! }).on('line', (line) => this.online(line))
    otherStream?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-2000)
    })
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)))
  }

  private online(line: string): void {
    let event: ProgramEvent
    try {
      event = JSON.parse(line) as ProgramEvent
    } catch {
      this.stderrTail = (this.stderrTail + line).slice(-2000)
      return
    }
    this.events.push(event)
    for (const waiter of [...this.waiters]) {
      if (waiter.match(event)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1)
        waiter.resolve(event)
      }
    }
  }

  /** How many events the program has printed so far: pass it to `waitFor` as `since`. */
  mark(): number {
    return this.events.length
  }

  /**
   * The first event named `name` and passing `where`, among those printed after the first
   * `since` events (default: all of them, already seen or still to come).
   */
  waitFor(
    name: string,
    timeoutMs: number,
    where: (e: ProgramEvent) => boolean = () => true,
    since = 0,
  ): Promise<ProgramEvent> {
    const match = (e: ProgramEvent) => e.event === name && where(e)
    const seen = this.events.slice(since).find(match)
    if (seen) return Promise.resolve(seen)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(
            `${this.name}: no "${name}" event within ${timeoutMs} ms. Its output ends with: ${this.stderrTail.trim()}`,
          ),
        )
      }, timeoutMs)
      this.exited.then((code) => {
        clearTimeout(timer)
        reject(
          new Error(
            `${this.name} exited (code ${code}) before its "${name}" event: ${this.stderrTail.trim()}`,
          ),
        )
      })
      this.waiters.push({
        match,
        resolve: (e) => {
          clearTimeout(timer)
          resolve(e)
        },
      })
    })
  }

  /** The last lines the program printed outside its events (its error message, if any). */
  get output(): string {
    return this.stderrTail
  }

  /** Asks the program to stop (SIGTERM), and kills it if it has not exited after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    this.child.kill('SIGTERM')
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs)
    await this.exited
    clearTimeout(timer)
  }
}
