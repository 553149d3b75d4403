// Workload sizes: the issues' defaults, scaled down for quick runs through the environment.

/**
 * The factor every workload size is multiplied by: `BENCH_SCALE` when set (e.g. `0.5`),
 * otherwise 0.1 with `BENCH_QUICK=1`, otherwise 1 (the sizes the issues name).
 */
export function scaleFactor(env: NodeJS.ProcessEnv = process.env): number {
  const explicit = env.BENCH_SCALE
  if (explicit !== undefined && explicit !== '') {
    const factor = Number(explicit)
    if (Number.isFinite(factor) && factor > 0) return factor
  }
  return env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true' ? 0.1 : 1
}

/** `n` scaled by the factor, rounded, never below `min`. */
export function scaled(n: number, min = 1, env: NodeJS.ProcessEnv = process.env): number {
  return Math.max(min, Math.round(n * scaleFactor(env)))
}
