// How the example programs tell the user what happens: one JSON object per event with --json,
// readable lines otherwise, and a progress bar on stderr when it is a terminal.

export type EventFields = Record<string, string | number | boolean | null | undefined>

export class Reporter {
  readonly json: boolean
  private progressShown = false

  private readonly out: NodeJS.WritableStream

  /** `out` is where events go: stdout, or stderr for programs whose stdout carries data. */
  constructor(opts: { json: boolean; out?: NodeJS.WritableStream }) {
    this.json = opts.json
    this.out = opts.out ?? process.stdout
  }

  /** One event: `{"event": name, ...fields}` with --json, `text` otherwise. */
  event(name: string, fields: EventFields, text: string): void {
    this.clearProgress()
    if (this.json) this.out.write(`${JSON.stringify({ event: name, ...fields })}\n`)
    else this.out.write(`${text}\n`)
  }

  /** A progress bar for files and bytes; redrawn in place on a terminal, silent otherwise. */
  progress(
    done: { files: number; bytes: number },
    total: { files: number; bytes: number },
    startedAt: number,
  ) {
    if (this.json) {
      this.event(
        'progress',
        { files: done.files, bytes: done.bytes, totalFiles: total.files, totalBytes: total.bytes },
        '',
      )
      return
    }
    if (!process.stderr.isTTY) return
    const fraction =
      total.bytes > 0 ? done.bytes / total.bytes : total.files > 0 ? done.files / total.files : 1
    const width = 30
    const filled = Math.round(Math.min(1, fraction) * width)
    const seconds = Math.max((Date.now() - startedAt) / 1000, 0.001)
    const rate = formatBytes(done.bytes / seconds)
    const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`
    process.stderr.write(
      `\r[${bar}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${done.files}/${total.files} files  ${formatBytes(done.bytes)}/${formatBytes(total.bytes)}  ${rate}/s `,
    )
    this.progressShown = true
  }

  private clearProgress(): void {
    if (!this.progressShown) return
    process.stderr.write('\r\x1b[K')
    this.progressShown = false
  }
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`
}
