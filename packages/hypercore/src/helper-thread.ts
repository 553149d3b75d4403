// Starting one of the core's helper threads (signing, hashing): a plain CommonJS script passed
// as source (it runs the same from src in tests and from dist), given sodium-native's path, a
// small heap (it keeps no JavaScript state), and never keeping the process alive by itself.
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

const require = createRequire(import.meta.url)

/** Starts `source` with `workerData` (plus `sodium`, the path to load); `gone` runs if it ends. */
export function startHelperThread(
  source: string,
  workerData: Record<string, unknown>,
  gone: () => void,
): Worker {
  const worker = new Worker(source, {
    eval: true,
    workerData: { sodium: require.resolve('sodium-native'), ...workerData },
    resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 },
  })
  worker.unref()
  worker.on('error', gone)
  worker.on('exit', gone)
  return worker
}

/**
 * The process's one instance of a helper-thread owner: `current` while it is still usable, else
 * a fresh one from `start` (null where threads cannot start).
 */
export function currentOrStarted<T>(
  current: T | null,
  usable: (owner: T) => boolean,
  start: () => T,
): T | null {
  if (current !== null && usable(current)) return current
  try {
    return start()
  } catch {
    return null
  }
}
