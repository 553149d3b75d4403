// Crash safety of a drive on disk: a child writing files (writeFile, fd writes, unlink) is
// SIGKILLed at random moments, some during its open and recovery. After each kill the drive
// reopens with the same key, every operation that resolved is there, the one in flight either
// landed whole or not at all, both cores pass audit, and the next child carries on writing.
import { join } from 'node:path'
import { Hypercore } from '@hyperstack/hypercore'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Hyperdrive } from '../src/index.js'
import { bundleChild, startChild } from './helpers/child-bundle.js'
import { DIRS, FILES_PER_DIR, outcomesOf, pathOf } from './helpers/crash-ops.js'
import { tempDir } from './helpers/tmp.js'

const KILLS = 40

let build: { path: string; remove: () => Promise<void> }
let bundle: string
beforeAll(async () => {
  build = await tempDir()
  bundle = join(build.path, 'crash-writer.mjs')
  await bundleChild(new URL('./helpers/crash-writer.ts', import.meta.url).pathname, bundle)
})
afterAll(() => build?.remove())

interface Run {
  key: string | null
  /** How long the child took to open the drive (null: killed before). */
  readyMs: number | null
  /** The highest operation number the child saw resolve (-1: none). */
  lastAcked: number
}

/** Runs the writer from operation `from` and kills it `delayMs` after it starts or is ready. */
function runAndKill(dir: string, from: number, delayMs: number, afterReady: boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = startChild(bundle, [dir, String(from)])
    const run: Run = { key: null, readyMs: null, lastAcked: -1 }
    const started = Date.now()
    let buffered = ''
    let stderr = ''
    const kill = () => child.kill('SIGKILL')
    let timer = afterReady ? null : setTimeout(kill, delayMs)
    const guard = setTimeout(kill, 20_000)
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) {
        const event = JSON.parse(line) as { event: string; key?: string; n?: number }
        if (event.event === 'ready') {
          run.key = event.key ?? null
          run.readyMs = Date.now() - started
          if (timer === null) timer = setTimeout(kill, delayMs)
        } else if (event.event === 'ack') run.lastAcked = event.n ?? -1
      }
    })
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk
    })
    child.on('exit', (_code, signal) => {
      clearTimeout(guard)
      if (timer) clearTimeout(timer)
      if (signal === 'SIGKILL') resolve(run)
      else reject(new Error(`the writer exited without being killed: ${stderr}`))
    })
  })
}

async function readdirOrEmpty(drive: Hyperdrive, dir: string): Promise<string[]> {
  try {
    return (await drive.readdir(dir)).sort()
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return []
    throw err
  }
}

/** Every file the drive holds, read through its public API. */
async function filesIn(drive: Hyperdrive): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>()
  for (let d = 0; d < DIRS; d++) {
    const names = await readdirOrEmpty(drive, `/d${d}`)
    for (let f = 0; f < FILES_PER_DIR; f++) {
      const path = pathOf(d, f)
      const listed = names.includes(`f${f}`)
      expect(await drive.exists(path), path).toBe(listed)
      if (listed) files.set(path, (await drive.readFile(path)) as Buffer)
    }
  }
  return files
}

async function expectAudited(core: unknown): Promise<void> {
  expect(core).toBeInstanceOf(Hypercore)
  if (!(core instanceof Hypercore)) return
  const report = await core.audit()
  expect(report).toEqual({ valid: core.length, invalid: 0 })
}

describe('crash safety of a drive on disk', () => {
  it(`survives ${KILLS} SIGKILLs while writing files`, async () => {
    const dir = await tempDir()
    try {
      let key: string | null = null
      // Operations 0..done-1 resolved; operation `done` may have landed before its kill.
      let done = 0
      let killedDuringOpen = 0
      // The quickest open seen so far: a kill sooner than that lands while the drive opens.
      let quickestOpen = Number.POSITIVE_INFINITY
      for (let k = 0; k < KILLS; k++) {
        const afterReady = k % 5 !== 4
        const delay = Math.random() * (afterReady ? 150 : quickestOpen)
        const run = await runAndKill(dir.path, done, delay, afterReady)
        if (run.readyMs !== null) quickestOpen = Math.min(quickestOpen, run.readyMs)
        if (run.key === null) killedDuringOpen++
        else expect(run.key).toBe(key ?? run.key)
        key ??= run.key
        if (run.lastAcked >= 0) done = run.lastAcked + 1

        const drive = new Hyperdrive(dir.path)
        try {
          await drive.ready()
          // One drive throughout: its keys were stored before anything was written with them.
          const opened = drive.key?.toString('hex') ?? null
          key ??= opened
          expect(opened).toBe(key)
          const files = await filesIn(drive)
          // The operation in flight did all it does or nothing (an fd write: its open alone).
          // (Compared with Buffer.equals: a deep toEqual of megabytes takes seconds.)
          const outcomes = outcomesOf(done)
          const matched = outcomes.some((outcome) => sameFiles(outcome, files))
          expect(matched, `after operation ${done}: ${describeFiles(files, outcomes[0])}`).toBe(
            true,
          )
          await expectAudited(drive.metadata)
          await expectAudited(await drive.getContent())
        } finally {
          await drive.close()
        }
      }
      // The writers got somewhere, and some kills hit a drive being opened or recovered.
      expect(done).toBeGreaterThan(KILLS)
      expect(killedDuringOpen).toBeGreaterThan(0)
    } finally {
      await dir.remove()
    }
  }, 300_000)
})

/** Which paths differ from `expected`, with their sizes (a failure message). */
function describeFiles(files: Map<string, Buffer>, expected: Map<string, Buffer>): string {
  const paths = new Set([...files.keys(), ...expected.keys()])
  const differing = [...paths].filter((path) => !sameBytes(files.get(path), expected.get(path)))
  const size = (b: Buffer | undefined) => (b === undefined ? 'absent' : `${b.length} bytes`)
  return differing
    .map((path) => `${path} is ${size(files.get(path))}, expected ${size(expected.get(path))}`)
    .join('; ')
}

const sameBytes = (a: Buffer | undefined, b: Buffer | undefined): boolean =>
  a === undefined || b === undefined ? a === b : a.equals(b)

function sameFiles(a: Map<string, Buffer>, b: Map<string, Buffer>): boolean {
  if (a.size !== b.size) return false
  for (const [path, data] of a) if (!sameBytes(data, b.get(path))) return false
  return true
}
