// Starting and cancelling a core's download selections (the replicator serves them, and they
// finish as the core stores their blocks).
import type { Bitfield } from './bitfield.js'
import type { CoreReplicator } from './core-replicator.js'
import { Download, type DownloadHandle } from './download.js'
import { CancelledError, ClosedError } from './errors.js'
import type { DownloadRange } from './options.js'

/** The part of a core its downloads read and update. */
export interface SelectingCore {
  readonly selections: Download[]
  readonly closed: boolean
  readonly bitfield: Bitfield | null
  readonly length: number
  readonly replicator: CoreReplicator | null
  ready(): Promise<void>
  undownload(range: Download): void
  finishSelection(sel: Download): void
}

/** Starts downloading a range (or the blocks listed); the result is awaitable and cancellable. */
export function startDownload(core: SelectingCore, range: DownloadRange | number): DownloadHandle {
  const r = typeof range === 'number' ? { start: range, end: range + 1 } : range
  const sel = new Download(r)
  const completion = sel.done.then(() => {})
  // The implicit whole-core download of a non-sparse core is never awaited: keep its
  // cancellation from surfacing as an unhandled rejection. Awaiting callers still see it.
  completion.catch(() => {})
  const handle = Object.assign(completion, {
    selection: sel,
    start: sel.start,
    end: sel.end,
    cancel: () => core.undownload(sel),
  })
  if (core.closed) {
    sel.reject(new ClosedError('Hypercore is closed'))
    return handle
  }
  core.selections.push(sel)
  core.ready().then(
    () => {
      if (sel.isComplete(core.bitfield as Bitfield, core.length)) core.finishSelection(sel)
      else core.replicator?.update()
    },
    (err: Error) => sel.reject(err),
  )
  return handle
}

/** Cancels the selection `range` names in `selections` (its promise rejects with ERR_CANCELLED). */
export function cancelDownload(
  selections: Download[],
  range: Download | DownloadHandle | DownloadRange,
): void {
  const target = 'selection' in range ? range.selection : range
  let i = selections.indexOf(target as Download)
  if (i === -1) {
    i = selections.findIndex(
      (s) =>
        s.start === (target.start ?? 0) &&
        s.end === (target.end ?? -1) &&
        s.linear === !!target.linear,
    )
  }
  if (i === -1) return
  const [sel] = selections.splice(i, 1)
  sel.reject(new CancelledError('Download was cancelled'))
}
