// The order measurements run in: per case, run 1 of every implementation, then run 2, and so on,
// so drift in the machine (thermal, other load) falls on every implementation alike.
import type { ImplName } from './workload.js'

export interface ScheduledRun {
  caseName: string
  /** 0-based run number within the case. */
  run: number
  impl: ImplName
}

/** Interleaved schedule: for each case, o,u,o,u,... `runs` times. */
export function schedule(
  cases: readonly string[],
  impls: readonly ImplName[],
  runs: number,
): ScheduledRun[] {
  const order: ScheduledRun[] = []
  for (const caseName of cases) {
    for (let run = 0; run < runs; run++) {
      for (const impl of impls) order.push({ caseName, run, impl })
    }
  }
  return order
}
