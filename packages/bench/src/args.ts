// Command-line arguments of the bench CLI.
import { IMPLS, type ImplName } from './workload.js'

export interface BenchArgs {
  /** Workloads to run, in order; empty means all. */
  workloads: string[]
  /** Measured runs per (case, implementation); at least 3 unless told otherwise. */
  runs: number
  impls: ImplName[]
  /** Print the workload names and exit. */
  list: boolean
  help: boolean
}

export const DEFAULT_RUNS = 3

export class ArgumentError extends Error {
  readonly code = 'ERR_BENCH_ARGS'
}

export const USAGE = `usage: bench [workload...] [--runs N] [--impl originals,ours] [--list]

  workload         names to run (default: all); see --list
  --runs N         measured runs per case and implementation (default ${DEFAULT_RUNS})
  --impl a,b       implementations to measure (default: every one the workload has)
  --list           print the workloads and their cases, then exit
  env BENCH_QUICK=1   sizes scaled down 10x;  BENCH_SCALE=f   sizes scaled by f`

const isImpl = (value: string): value is ImplName => (IMPLS as readonly string[]).includes(value)

/** Parses argv (without node and the script); throws ArgumentError on anything unknown. */
export function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = {
    workloads: [],
    runs: DEFAULT_RUNS,
    impls: [...IMPLS],
    list: false,
    help: false,
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const [flag, inline] = arg.startsWith('--') ? splitFlag(arg) : [arg, undefined]
    const value = (): string => {
      if (inline !== undefined) return inline
      const next = argv[++i]
      if (next === undefined) throw new ArgumentError(`${flag} needs a value`)
      return next
    }
    switch (flag) {
      case '--runs': {
        const text = value()
        const runs = Number(text)
        if (!Number.isInteger(runs) || runs < 1) {
          throw new ArgumentError(`--runs expects a positive integer, got "${text}"`)
        }
        args.runs = runs
        break
      }
      case '--impl': {
        const names = value()
          .split(',')
          .filter((name) => name !== '')
        const unknown = names.filter((name) => !isImpl(name))
        if (unknown.length > 0 || names.length === 0) {
          throw new ArgumentError(`--impl expects some of ${IMPLS.join(',')}, got "${names}"`)
        }
        args.impls = names.filter(isImpl)
        break
      }
      case '--list':
        args.list = true
        break
      case '--help':
      case '-h':
        args.help = true
        break
      default:
        if (flag.startsWith('-')) throw new ArgumentError(`unknown option ${flag}`)
        args.workloads.push(flag)
    }
  }
  return args
}

function splitFlag(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=')
  return eq === -1 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)]
}
