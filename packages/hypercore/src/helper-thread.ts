// Starting one of the core's helper threads (signing, hashing): a plain CommonJS script passed
// as source (it runs the same from src in tests and from dist), given sodium-native's path, a
// small heap (it keeps no JavaScript state), and never keeping the process alive by itself.
import { Worker } from 'node:worker_threads'
import { sodiumPath } from './commonjs.js'

/** Int32 control words a ring thread shares with its owner: jobs submitted, jobs done, asleep. */
export const HEAD = 0
export const DONE = 1
export const SLEEPING = 2

/**
 * The source of a thread serving a ring of jobs in order (a plain CommonJS script, see
 * startHelperThread). `setup` runs once with `workerData`, `sodium` and `control` in scope; `job`
 * runs for each job, whose counter is `done`. Between bursts the thread blocks in Atomics.wait on
 * HEAD (SLEEPING set, so the owner knows to notify); it publishes DONE after each burst, and every
 * `publishEvery` jobs (a power of two) within one, so the owner can use early results.
 */
export function ringThreadSource(setup: string, job: string, publishEvery = 0): string {
  const publish = `Atomics.store(control, ${DONE}, done)
    Atomics.notify(control, ${DONE})`
  const early =
    publishEvery > 0 ? `if ((done & ${publishEvery - 1}) === 0) {\n    ${publish}\n    }` : ''
  return `
const { workerData } = require('node:worker_threads')
const sodium = require(workerData.sodium)
const control = new Int32Array(workerData.control)
${setup}
let done = Atomics.load(control, ${DONE})
for (;;) {
  const head = Atomics.load(control, ${HEAD})
  if (head === done) {
    Atomics.store(control, ${SLEEPING}, 1)
    if (Atomics.load(control, ${HEAD}) === done) Atomics.wait(control, ${HEAD}, done)
    Atomics.store(control, ${SLEEPING}, 0)
    continue
  }
  while (done !== head) {
    ${job}
    done = (done + 1) | 0
    ${early}
  }
  ${publish}
}
`
}

/** Starts `source` with `workerData` (plus `sodium`, the path to load); `gone` runs if it ends. */
export function startHelperThread(
  source: string,
  workerData: Record<string, unknown>,
  gone: () => void,
): Worker {
  const worker = new Worker(source, {
    eval: true,
    workerData: { sodium: sodiumPath, ...workerData },
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
