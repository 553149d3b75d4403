// What the machine charges for memory, printed with every bench run: on some virtual machines
// the first touch of a page new to the process costs tens of microseconds (the host backs guest
// memory lazily), against ~0.1-0.3 on bare metal. Workloads that store hundreds of MiB in memory
// or the page cache then spend most of their time there, on both implementations alike, and
// every ratio is pulled toward 1.00x. The figures say how far.
import { availableParallelism } from 'node:os'

const PAGE = 4096
/** Large enough to be mapped fresh from the OS (never from the allocator's free lists). */
const PROBE_BYTES = 32 * 1024 * 1024

export interface MachineCosts {
  cores: number
  /** Microseconds to touch one 4 KiB page the process never touched before. */
  freshPageMicros: number
  /** Microseconds to touch the same page again. */
  warmPageMicros: number
}

function touchPages(buffer: Buffer): number {
  const started = process.hrtime.bigint()
  for (let at = 0; at < buffer.length; at += PAGE) buffer[at] = 1
  return Number(process.hrtime.bigint() - started) / 1000 / (buffer.length / PAGE)
}

/** Measures this machine's memory costs (about a second at worst). */
export function measureMachine(probeBytes = PROBE_BYTES): MachineCosts {
  const buffer = Buffer.allocUnsafeSlow(probeBytes)
  const freshPageMicros = touchPages(buffer)
  const warmPageMicros = touchPages(buffer)
  return { cores: availableParallelism(), freshPageMicros, warmPageMicros }
}

export function machineJsonLine(costs: MachineCosts): string {
  return JSON.stringify({
    machine: {
      cores: costs.cores,
      freshPageMicros: Number(costs.freshPageMicros.toFixed(2)),
      warmPageMicros: Number(costs.warmPageMicros.toFixed(3)),
    },
  })
}

export function describeMachine(costs: MachineCosts): string {
  const perMiB = (costs.freshPageMicros * (1024 * 1024)) / PAGE / 1000
  return (
    `machine: ${costs.cores} cores; first touch of a 4 KiB page ${costs.freshPageMicros.toFixed(1)} us ` +
    `(${perMiB.toFixed(1)} ms per fresh MiB), again ${costs.warmPageMicros.toFixed(2)} us`
  )
}
