// Errors meant for the person at the terminal: one clear line and an exit code, never a stack.

export class UserError extends Error {
  readonly exitCode: number
  readonly code: string

  constructor(code: string, message: string, exitCode = 1) {
    super(message)
    this.name = 'UserError'
    this.code = code
    this.exitCode = exitCode
  }
}

/** Exit codes the example programs use, so scripts can tell failures apart. */
export const EXIT = {
  usage: 2,
  notFound: 3,
  noPeer: 4,
  locked: 5,
  interrupted: 130,
} as const

/**
 * Runs a program's main function: a UserError prints its one line and exits with its code; any
 * other error prints `error: <message>` (its code too, when it has one) and exits 1. Set
 * HYPERSTACK_DEBUG=1 to see the stack of an unexpected error.
 */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (err: unknown) => {
      if (err instanceof UserError) {
        process.stderr.write(`error: ${err.message}\n`)
        process.exit(err.exitCode)
      }
      const code = err instanceof Error && 'code' in err ? ` (${String(err.code)})` : ''
      const message = err instanceof Error ? err.message : String(err)
      process.stderr.write(`error: ${message}${code}\n`)
      if (process.env.HYPERSTACK_DEBUG && err instanceof Error)
        process.stderr.write(`${err.stack}\n`)
      process.exit(1)
    },
  )
}
