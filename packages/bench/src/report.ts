// Turning runs into results: medians per metric, the JSON lines, and the ours/originals table.
import type { Better, Metric } from './metric.js'
import { median } from './stats.js'
import type { ImplName } from './workload.js'

/** The median of one metric over the runs of one (workload, implementation). */
export interface Summary {
  workload: string
  impl: ImplName
  metric: string
  median: number
  unit: string
  better: Better
}

/** Groups the runs' metrics by name (in first-seen order) and takes each one's median. */
export function summarize(workload: string, impl: ImplName, runs: readonly Metric[][]): Summary[] {
  const byName = new Map<string, { unit: string; better: Better; values: number[] }>()
  for (const run of runs) {
    for (const metric of run) {
      const entry = byName.get(metric.name)
      if (entry) entry.values.push(metric.value)
      else
        byName.set(metric.name, {
          unit: metric.unit,
          better: metric.better,
          values: [metric.value],
        })
    }
  }
  return [...byName].map(([metric, { unit, better, values }]) => ({
    workload,
    impl,
    metric,
    median: roundSignificant(median(values)),
    unit,
    better,
  }))
}

/** One result as the JSON line the CLI prints: `{"workload","impl","metric","median","unit"}`. */
export function jsonLine(summary: Summary): string {
  const { workload, impl, metric, median, unit } = summary
  return JSON.stringify({ workload, impl, metric, median, unit })
}

/** `ours / originals` as text, or "n/a" when either side is missing or the base is zero. */
export function formatRatio(ours: number | undefined, originals: number | undefined): string {
  if (ours === undefined || originals === undefined) return 'n/a'
  if (!Number.isFinite(ours) || !Number.isFinite(originals) || originals === 0) return 'n/a'
  return `${(ours / originals).toFixed(2)}x`
}

/** A number in a table cell: about four significant digits, no exponent for everyday sizes. */
export function formatNumber(value: number | undefined): string {
  if (value === undefined) return '-'
  if (!Number.isFinite(value)) return String(value)
  const abs = Math.abs(value)
  if (abs >= 1000) return Math.round(value).toString()
  if (abs === 0) return '0'
  return Number(value.toPrecision(4)).toString()
}

/** The comparison table: one row per (workload, metric), originals beside ours and the ratio. */
export function formatTable(summaries: readonly Summary[]): string {
  const rows: string[][] = [
    ['workload', 'metric', 'unit', 'better', 'originals', 'ours', 'ours/originals'],
  ]
  const keys = new Map<string, { workload: string; metric: string; unit: string; better: Better }>()
  const values = new Map<string, number>()
  for (const s of summaries) {
    const key = `${s.workload}\u0000${s.metric}`
    if (!keys.has(key)) keys.set(key, s)
    values.set(`${key}\u0000${s.impl}`, s.median)
  }
  for (const [key, { workload, metric, unit, better }] of keys) {
    const originals = values.get(`${key}\u0000originals`)
    const ours = values.get(`${key}\u0000ours`)
    rows.push([
      workload,
      metric,
      unit,
      better,
      formatNumber(originals),
      formatNumber(ours),
      formatRatio(ours, originals),
    ])
  }
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)))
  const lines = rows.map((row) =>
    row
      .map((cell, column) =>
        column >= 4 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]),
      )
      .join('  ')
      .trimEnd(),
  )
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '))
  lines.push(
    '',
    'better=higher: a ratio above 1.00x means ours is better; better=lower: below 1.00x is better.',
  )
  return lines.join('\n')
}

function roundSignificant(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(6)) : value
}
