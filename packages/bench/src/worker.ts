// The child process of one measurement: runs one (workload, case, implementation) and reports
// its metrics to the parent over IPC. Started fresh for every run so no run warms another.
import { isAbsolute } from 'node:path'
import { peakRssMiB } from './measure.js'
import { type Metric, lower } from './metric.js'
import { IMPLS, type ImplName } from './workload.js'
import { findWorkload } from './workloads/index.js'

/** The phases a worker can be asked to run. */
export type WorkerPhase = 'prepare' | 'measure'

/** What a worker sends its parent before exiting. */
export type WorkerMessage =
  | { type: 'result'; metrics: Metric[] }
  | { type: 'prepared'; metrics: Metric[] }
  | { type: 'error'; message: string }

const isImpl = (value: string): value is ImplName => (IMPLS as readonly string[]).includes(value)

async function main(argv: readonly string[]): Promise<WorkerMessage> {
  const [workloadName, caseName, impl, phase, dir] = argv
  const workload = findWorkload(workloadName ?? '')
  if (!workload) return { type: 'error', message: `unknown workload "${workloadName}"` }
  if (!workload.cases.includes(caseName ?? '')) {
    return { type: 'error', message: `workload ${workload.name} has no case "${caseName}"` }
  }
  if (!isImpl(impl ?? '')) return { type: 'error', message: `unknown implementation "${impl}"` }
  if (phase !== 'prepare' && phase !== 'measure') {
    return { type: 'error', message: `unknown phase "${phase}"` }
  }
  if (dir === undefined || !isAbsolute(dir)) {
    return { type: 'error', message: `expected an absolute folder, got "${dir}"` }
  }
  const context = { caseName, dir }
  const prefix = workload.cases.length > 1 ? `${caseName}.` : ''
  const named = (metrics: Metric[]): Metric[] =>
    metrics.map((m) => ({ ...m, name: prefix + m.name }))
  if (phase === 'prepare') {
    const metrics = await workload.prepare(impl as ImplName, context)
    if (metrics.length > 0) metrics.push(lower('prepare-peak-rss', peakRssMiB(), 'MiB'))
    return { type: 'prepared', metrics: named(metrics) }
  }
  const metrics = await workload.run(impl as ImplName, context)
  // An empty result means "this implementation cannot do this case": report nothing for it.
  if (metrics.length > 0) metrics.push(lower('peak-rss', peakRssMiB(), 'MiB'))
  return { type: 'result', metrics: named(metrics) }
}

function reply(message: WorkerMessage): void {
  // Exit explicitly: the originals leave timers and sockets behind that would keep us alive.
  if (process.send) process.send(message, () => process.exit(message.type === 'error' ? 1 : 0))
  else {
    process.stdout.write(`${JSON.stringify(message)}\n`)
    process.exit(message.type === 'error' ? 1 : 0)
  }
}

main(process.argv.slice(2)).then(reply, (err: unknown) =>
  reply({
    type: 'error',
    message: err instanceof Error ? (err.stack ?? err.message) : String(err),
  }),
)
