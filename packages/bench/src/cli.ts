// Entry of `pnpm bench [workload...]`: runs each workload's cases in fresh worker processes,
// interleaving implementations, then prints one JSON line per metric and the ratio table.
import { rmSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ArgumentError, type BenchArgs, USAGE, parseArgs } from './args.js'
import { describeMachine, machineJsonLine, measureMachine } from './machine.js'
import type { Metric } from './metric.js'
import { namespaceUnavailable } from './netns.js'
import { type Summary, formatTable, jsonLine, summarize } from './report.js'
import { killWorkers, runWorker } from './runner.js'
import { schedule } from './schedule.js'
import { scaleFactor } from './sizes.js'
import type { ImplName, Workload } from './workload.js'
import { WORKLOADS } from './workloads/index.js'

const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 15 * 60_000)

const log = (line: string): void => {
  process.stderr.write(`${line}\n`)
}

/** Temporary folders in use, removed on the way out even when interrupted. */
const tempDirs = new Set<string>()

async function makeTempDir(workload: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `bench-${workload}-`))
  tempDirs.add(dir)
  return dir
}

async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true })
  tempDirs.delete(dir)
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`bench: ${signal}, stopping`)
    killWorkers()
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
    process.exit(130)
  })
}

/** Runs one workload; returns its summaries, or the failures that prevented some of them. */
async function runWorkload(
  workload: Workload,
  impls: readonly ImplName[],
  runs: number,
): Promise<{ summaries: Summary[]; failures: string[] }> {
  const failures: string[] = []
  const prepared = new Map<string, string>()
  /** (case, impl) whose prepare failed: their runs are skipped, the failure reported once. */
  const unprepared = new Set<string>()
  const results = new Map<ImplName, Metric[][]>(impls.map((impl) => [impl, []]))
  const preparedMetrics = new Map<ImplName, Metric[]>(impls.map((impl) => [impl, []]))
  const fail = (err: unknown): void => {
    const message = err instanceof Error ? err.message : String(err)
    failures.push(message)
    log(`  FAILED ${message}`)
  }
  try {
    if (workload.hasPrepare) {
      for (const caseName of workload.cases) {
        for (const impl of impls) {
          const dir = await makeTempDir(workload.name)
          prepared.set(`${caseName}/${impl}`, dir)
          log(`  ${caseName} ${impl}: preparing`)
          const started = Date.now()
          try {
            const metrics = await runWorker({
              workload: workload.name,
              caseName,
              impl,
              phase: 'prepare',
              dir,
              timeoutMs: TIMEOUT_MS,
              networkNamespace: workload.networkNamespace.includes(impl),
            })
            preparedMetrics.get(impl)!.push(...metrics)
            log(`  ${caseName} ${impl}: prepared in ${Date.now() - started} ms`)
          } catch (err) {
            fail(err)
            unprepared.add(`${caseName}/${impl}`)
          }
        }
      }
    }
    for (const { caseName, run, impl } of schedule(workload.cases, impls, runs)) {
      if (unprepared.has(`${caseName}/${impl}`)) continue
      const preparedDir = prepared.get(`${caseName}/${impl}`)
      const dir = preparedDir ?? (await makeTempDir(workload.name))
      const started = Date.now()
      try {
        const metrics = await runWorker({
          workload: workload.name,
          caseName,
          impl,
          phase: 'measure',
          dir,
          timeoutMs: TIMEOUT_MS,
          networkNamespace: workload.networkNamespace.includes(impl),
        })
        const perRun = results.get(impl)!
        perRun[run] = [...(perRun[run] ?? []), ...metrics]
        log(`  ${caseName} ${impl} run ${run + 1}/${runs}: ${Date.now() - started} ms`)
      } catch (err) {
        fail(err)
      } finally {
        if (preparedDir === undefined) await removeTempDir(dir)
      }
    }
  } finally {
    for (const dir of prepared.values()) await removeTempDir(dir)
  }
  // Metrics of the one-off prepare step count once, as a run of their own.
  const summaries = impls.flatMap((impl) =>
    summarize(workload.name, impl, [
      ...results.get(impl)!.filter(Boolean),
      preparedMetrics.get(impl)!,
    ]),
  )
  return { summaries, failures }
}

async function main(args: BenchArgs): Promise<number> {
  if (args.help) {
    log(USAGE)
    return 0
  }
  const unknown = args.workloads.filter((name) => !WORKLOADS.some((w) => w.name === name))
  if (unknown.length > 0) {
    log(`unknown workload(s): ${unknown.join(', ')}`)
    log(`known: ${WORKLOADS.map((w) => w.name).join(', ')}`)
    return 2
  }
  const selected =
    args.workloads.length === 0
      ? WORKLOADS
      : args.workloads.map((name) => WORKLOADS.find((w) => w.name === name)!)
  if (args.list) {
    for (const w of WORKLOADS) {
      const impls = w.impls.length > 0 ? w.impls.join(',') : 'none'
      process.stdout.write(
        `${w.name}  [${w.cases.join(', ')}]  impls: ${impls}\n  ${w.description}\n`,
      )
    }
    return 0
  }

  log(`bench: ${args.runs} runs per case, scale ${scaleFactor()}`)
  // Before any worker runs, so the probe's memory is fresh and nothing else competes.
  const machine = measureMachine()
  process.stdout.write(`${machineJsonLine(machine)}\n`)
  const all: Summary[] = []
  const notes: string[] = []
  let failed = false
  for (const workload of selected) {
    if (workload.skipReason !== undefined) {
      notes.push(`${workload.name}: skipped: ${workload.skipReason}`)
      log(`${workload.name}: skipped: ${workload.skipReason}`)
      continue
    }
    let impls = args.impls.filter((impl) => workload.impls.includes(impl))
    const missing = args.impls.filter((impl) => !workload.impls.includes(impl))
    for (const impl of missing) notes.push(`${workload.name}: no "${impl}" adapter yet`)
    const isolated = impls.filter((impl) => workload.networkNamespace.includes(impl))
    const unavailable = isolated.length > 0 ? namespaceUnavailable() : null
    if (unavailable !== null) {
      // Never run them in the host's network instead: report the others alone, with the reason.
      impls = impls.filter((impl) => !isolated.includes(impl))
      for (const impl of isolated) {
        notes.push(
          `${workload.name}: "${impl}" not run: it needs a network namespace and ${unavailable}`,
        )
        log(`${workload.name}: "${impl}" not run: ${unavailable}`)
      }
    }
    log(`${workload.name}: ${workload.description}`)
    const { summaries, failures } = await runWorkload(workload, impls, args.runs)
    for (const summary of summaries) process.stdout.write(`${jsonLine(summary)}\n`)
    for (const failure of failures) notes.push(`FAILED ${failure.split('\n')[0]}`)
    failed ||= failures.length > 0
    all.push(...summaries)
  }
  process.stdout.write(`\n${formatTable(all)}\n`)
  notes.unshift(describeMachine(machine))
  if (notes.length > 0) process.stdout.write(`\n${notes.join('\n')}\n`)
  return failed ? 1 : 0
}

let args: BenchArgs
try {
  args = parseArgs(process.argv.slice(2))
} catch (err) {
  if (!(err instanceof ArgumentError)) throw err
  log(`${err.message}\n${USAGE}`)
  process.exit(2)
}
main(args).then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    log(err instanceof Error ? (err.stack ?? err.message) : String(err))
    process.exitCode = 1
  },
)
