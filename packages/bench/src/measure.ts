// Timing helpers used inside a worker: wall and CPU time of a phase, per-operation latencies.
import { hrtime } from 'node:process'
import { percentile } from './stats.js'

export interface Measured<T> {
  value: T
  /** Wall-clock seconds of the phase. */
  seconds: number
  /** User + system CPU seconds the whole process spent during the phase (all threads). */
  cpuSeconds: number
}

/** Runs one phase and reports its wall and CPU time. */
export async function measure<T>(phase: () => Promise<T>): Promise<Measured<T>> {
  const cpuBefore = process.cpuUsage()
  const start = hrtime.bigint()
  const value = await phase()
  const seconds = Number(hrtime.bigint() - start) / 1e9
  const cpu = process.cpuUsage(cpuBefore)
  return { value, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 }
}

/** Collects per-operation latencies in milliseconds without allocating per sample. */
export class LatencyRecorder {
  private readonly samples: Float64Array
  private count = 0

  constructor(capacity: number) {
    this.samples = new Float64Array(capacity)
  }

  /** Times one operation and records it. */
  async time<T>(operation: () => Promise<T>): Promise<T> {
    const start = hrtime.bigint()
    const value = await operation()
    this.record(Number(hrtime.bigint() - start) / 1e6)
    return value
  }

  record(ms: number): void {
    if (this.count < this.samples.length) this.samples[this.count++] = ms
  }

  percentile(p: number): number {
    return percentile(this.samples.subarray(0, this.count), p)
  }
}

/** Peak resident set size of this process so far, in MiB. */
export function peakRssMiB(): number {
  // maxRSS is in kilobytes on every platform Node supports.
  return process.resourceUsage().maxRSS / 1024
}
