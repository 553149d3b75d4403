// Background failures of a core or corestore (flushes, signature writes, opening), reported as
// 'error' events only to those who listen.

/** What can emit 'error' (a core, a corestore). */
export interface ErrorEmitter {
  listenerCount(event: 'error'): number
  emit(event: 'error', err: Error): boolean
}

/**
 * Reports a background failure (a flush, a signature write, opening) as 'error' when someone
 * listens: unheard, it would crash the process, and the operations that need it report it too.
 */
export function emitErrorIfHeard(target: ErrorEmitter, err: Error): void {
  if (target.listenerCount('error') > 0) target.emit('error', err)
}
