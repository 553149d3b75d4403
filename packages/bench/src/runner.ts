// Runs one measurement in a fresh child process (node running the built worker) and collects
// what it reports; the child's own output goes to our stderr so stdout stays machine-readable.
import { type ChildProcess, fork, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { type Metric, isMetric } from './metric.js'
import { namespacePrefix } from './netns.js'
import type { WorkerPhase } from './worker.js'
import type { ImplName } from './workload.js'

export interface WorkerRequest {
  workload: string
  caseName: string
  impl: ImplName
  phase: WorkerPhase
  dir: string
  /** Kill the child after this long. */
  timeoutMs: number
  /** Run the child in a fresh network namespace with only loopback (see `netns.ts`). */
  networkNamespace?: boolean
}

export class WorkerError extends Error {
  readonly code = 'ERR_BENCH_WORKER'
}

const WORKER_PATH = fileURLToPath(new URL('./worker.js', import.meta.url))

/** Workers still running, so an interrupted CLI can end them. */
const running = new Set<ChildProcess>()

/** Kills every worker still running (the CLI calls this when interrupted). */
export function killWorkers(): void {
  for (const child of running) child.kill('SIGKILL')
}

/**
 * Writes back what earlier phases left dirty in the page cache (`sync`), so their writeback does
 * not land in the next measurement: a 256 MiB clone ran 31-40% slower (both implementations)
 * right after 300 MB had been written. Best effort: without `sync` the run goes on.
 */
function flushDirtyPages(): void {
  spawnSync('sync', { stdio: 'ignore', timeout: 120_000 })
}

/** Runs the request in a child process; resolves with the metrics it reported. */
export function runWorker(request: WorkerRequest): Promise<Metric[]> {
  const { workload, caseName, impl, phase, dir, timeoutMs } = request
  flushDirtyPages()
  const label = `${workload}/${caseName}/${impl} ${phase}`
  // In a namespace, fork starts `unshare ... sh -c '...exec "$@"' sh node worker.js ...`: each
  // step execs the next in the same process, so the IPC channel and the pid stay the child's.
  const wrapped = request.networkNamespace
    ? (() => {
        const { command, prefix } = namespacePrefix()
        return { execPath: command, execArgv: [...prefix, process.execPath, ...process.execArgv] }
      })()
    : {}
  return new Promise((resolve, reject) => {
    const child = fork(WORKER_PATH, [workload, caseName, impl, phase, dir], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      ...wrapped,
    })
    running.add(child)
    child.stdout?.pipe(process.stderr, { end: false })
    child.stderr?.pipe(process.stderr, { end: false })
    let outcome: Metric[] | WorkerError | undefined
    const timer = setTimeout(() => {
      outcome = new WorkerError(`${label}: timed out after ${timeoutMs} ms`)
      child.kill('SIGKILL')
    }, timeoutMs)
    child.on('message', (message: unknown) => {
      if (outcome !== undefined) return
      outcome = readMessage(label, message)
    })
    child.on('error', (err) => {
      outcome ??= new WorkerError(`${label}: ${err.message}`)
    })
    child.on('exit', (code, signal) => {
      running.delete(child)
      clearTimeout(timer)
      if (outcome === undefined) {
        outcome = new WorkerError(`${label}: exited (${signal ?? code}) without a result`)
      }
      if (outcome instanceof WorkerError) reject(outcome)
      else resolve(outcome)
    })
  })
}

function readMessage(label: string, message: unknown): Metric[] | WorkerError {
  if (typeof message !== 'object' || message === null) {
    return new WorkerError(`${label}: malformed message`)
  }
  const m = message as { type?: unknown; metrics?: unknown; message?: unknown }
  if (m.type === 'error') return new WorkerError(`${label}: ${String(m.message)}`)
  const resultTypes: unknown[] = ['result', 'prepared']
  if (resultTypes.includes(m.type) && Array.isArray(m.metrics) && m.metrics.every(isMetric)) {
    return m.metrics
  }
  return new WorkerError(`${label}: malformed result`)
}
