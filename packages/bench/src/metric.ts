// What one run of a workload reports: named values with a unit and the direction that is better.

/** Whether a larger or a smaller value of a metric is the better one. */
export type Better = 'higher' | 'lower'

export interface Metric {
  /** Stable name, e.g. `ram-single.throughput`. */
  name: string
  value: number
  unit: string
  better: Better
}

/** A metric where more is better (throughput, ops/s). */
export const higher = (name: string, value: number, unit: string): Metric => ({
  name,
  value,
  unit,
  better: 'higher',
})

/** A metric where less is better (latency, CPU, memory, bytes moved). */
export const lower = (name: string, value: number, unit: string): Metric => ({
  name,
  value,
  unit,
  better: 'lower',
})

/** Checks a value received from a worker process is a well-formed metric. */
export function isMetric(value: unknown): value is Metric {
  if (typeof value !== 'object' || value === null) return false
  const m = value as Record<string, unknown>
  return (
    typeof m.name === 'string' &&
    typeof m.value === 'number' &&
    typeof m.unit === 'string' &&
    (m.better === 'higher' || m.better === 'lower')
  )
}
