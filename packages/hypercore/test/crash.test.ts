// Crash safety: a child appending in a loop is SIGKILLed at random moments; every reopen passes
// audit, keeps every append that resolved, and every block up to the recovered length is intact.
import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Hypercore } from '../src/index.js'
import { buildForChild } from './build-for-child.js'
import { tmpDir } from './helpers.js'

const KILLS = 50

const CHILD = `
import { Hypercore } from './hypercore/hypercore.js'
const dir = process.argv[2]
const core = new Hypercore(dir)
await core.ready()
const block = (i) => Buffer.from('block-' + i + '-' + 'x'.repeat(i % 97))
process.stdout.write('ready ' + core.length + '\\n')
let n = 0
for (;;) {
  const start = core.length
  const count = 1 + (n++ % 4)
  const batch = []
  for (let k = 0; k < count; k++) batch.push(block(start + k))
  await core.append(batch)
  process.stdout.write('len ' + core.length + '\\n')
}
`

function expectedBlock(i: number): Buffer {
  return Buffer.from(`block-${i}-${'x'.repeat(i % 97)}`)
}

let build: { dir: string; cleanup: () => void }
beforeAll(() => {
  build = buildForChild()
  fs.writeFileSync(path.join(build.dir, 'crash-child.js'), CHILD)
})
afterAll(() => build?.cleanup())

function runAndKill(dir: string, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      [path.join(build.dir, 'crash-child.js'), dir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let lastResolved = -1
    let buffered = ''
    let stderr = ''
    let timer: NodeJS.Timeout | null = null
    const guard = setTimeout(() => child.kill('SIGKILL'), 20000)
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) {
        const [tag, n] = line.split(' ')
        if (tag === 'ready' && timer === null)
          timer = setTimeout(() => child.kill('SIGKILL'), delayMs)
        if (tag === 'len') lastResolved = Number(n)
      }
    })
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString()
    })
    child.on('exit', (_code, signal) => {
      clearTimeout(guard)
      if (timer) clearTimeout(timer)
      if (signal !== 'SIGKILL') reject(new Error(`child exited without being killed: ${stderr}`))
      else resolve(lastResolved)
    })
  })
}

describe('crash safety', () => {
  it(`survives ${KILLS} SIGKILLs during appends`, async () => {
    const { dir, cleanup } = tmpDir()
    try {
      let verified = 0
      let totalKills = 0
      for (let k = 0; k < KILLS; k++) {
        const lastResolved = await runAndKill(dir, 5 + Math.floor(Math.random() * 150))
        totalKills++
        const core = new Hypercore(dir)
        await core.ready()
        try {
          expect(core.length).toBeGreaterThanOrEqual(lastResolved)
          expect(core.length).toBeGreaterThanOrEqual(verified)
          const report = await core.audit()
          expect(report.invalid).toBe(0)
          expect(report.valid).toBe(core.length)
          const from = Math.max(0, Math.min(verified, core.length) - 5)
          for (let i = from; i < core.length; i++)
            expect((await core.get(i, { wait: false })) as Buffer).toEqual(expectedBlock(i))
          if (core.length > 0) {
            const sig = await core.signature(core.length - 1)
            expect(sig.index).toBe(core.length - 1)
          }
          verified = core.length
        } finally {
          await core.close()
        }
      }
      expect(totalKills).toBe(KILLS)
      expect(verified).toBeGreaterThan(0)
    } finally {
      cleanup()
    }
  }, 300000)
})
