// End to end, as users run it: share and clone/cat as separate processes on 127.0.0.1, finding
// each other through a bootstrap node this test starts. Runs the built programs in dist/.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type DHT, createBootstrapNode } from '@hyperstack/hyperswarm-dht'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ChildProgram } from '../src/child-program.js'
import { walkFiles } from '../src/folder-import.js'
import { writeSampleFolder } from '../src/sample-folder.js'

const DIST = fileURLToPath(new URL('../dist/', import.meta.url))
const STEP_MS = 60_000
const KiB = 1024
const BLOCK = 64 * KiB // hyperdrive@10 writes content in blocks of 64 KiB

let work = ''
let bootstrapNode: DHT
let net: string[] = []
let source = ''
let key = ''
let writer: ChildProgram
const children: ChildProgram[] = []

function program(name: string, args: string[], eventsOn: 'stdout' | 'stderr' = 'stdout') {
  const child = new ChildProgram(name, args, { eventsOn, dir: DIST })
  children.push(child)
  return child
}

async function sameTree(a: string, b: string): Promise<void> {
  const left: string[] = []
  for await (const file of walkFiles(a)) left.push(relative(a, file))
  const right: string[] = []
  for await (const file of walkFiles(b)) right.push(relative(b, file))
  expect(right).toEqual(left)
  for (const file of left)
    expect((await readFile(join(b, file))).equals(await readFile(join(a, file)))).toBe(true)
}

beforeAll(async () => {
  if (!existsSync(join(DIST, 'share.js'))) throw new Error('build the examples first: pnpm build')
  work = await mkdtemp(join(tmpdir(), 'hyperstack-e2e-'))
  bootstrapNode = await createBootstrapNode({ port: 0, host: '127.0.0.1' })
  net = ['--bootstrap', `127.0.0.1:${bootstrapNode.address().port}`, '--host', '127.0.0.1']
  source = join(work, 'source')
  await writeSampleFolder(source, { dirs: 4, filesPerDir: 25, bigFileBytes: 4 * 1024 * KiB })
  writer = program('share.js', [source, '--storage', join(work, 'writer'), '--watch', ...net])
  key = String((await writer.waitFor('sharing', STEP_MS)).key)
}, 120_000)

afterAll(async () => {
  await Promise.all(children.map((c) => c.stop()))
  await bootstrapNode?.destroy()
  if (work) await rm(work, { recursive: true, force: true })
})

describe('share and clone between processes', () => {
  it('prints the key as hex and as a hyper:// URL', async () => {
    const sharing = await writer.waitFor('sharing', STEP_MS)
    expect(key).toMatch(/^[0-9a-f]{64}$/)
    expect(sharing.url).toBe(`hyper://${key}`)
  })

  it('clones the whole drive: every path and byte equal to the source', async () => {
    const dest = join(work, 'clone-full')
    const clone = program('clone.js', [key, dest, '--storage', join(work, 'reader-full'), ...net])
    const cloned = await clone.waitFor('cloned', STEP_MS)
    expect(await clone.exited).toBe(0)
    expect(cloned.files).toBe(101)
    await sameTree(source, dest)
  })

  it('cat of a 64 KiB range moves at most the covering blocks plus proofs', async () => {
    const start = 1024 * KiB + 1000 // not block-aligned: the range straddles two blocks
    const out = join(work, 'range.bin')
    const cat = program(
      'cat.js',
      [
        key,
        '/big.bin',
        '--start',
        String(start),
        '--length',
        String(64 * KiB),
        '--out',
        out,
        ...net,
      ],
      'stderr',
    )
    const read = await cat.waitFor('read', STEP_MS)
    expect(await cat.exited).toBe(0)
    const expected = (await readFile(join(source, 'big.bin'))).subarray(start, start + 64 * KiB)
    expect((await readFile(out)).equals(expected)).toBe(true)
    const coveringBlocks =
      Math.floor((start + 64 * KiB - 1) / BLOCK) - Math.floor(start / BLOCK) + 1
    expect(coveringBlocks).toBe(2)
    // Proofs, signatures and framing for two blocks take well under 8 KiB.
    expect(Number(read.wireBytes)).toBeGreaterThanOrEqual(64 * KiB)
    expect(Number(read.wireBytes)).toBeLessThanOrEqual(coveringBlocks * BLOCK + 8 * KiB)
  })

  it('a change on the writer reaches a live reader', async () => {
    const dest = join(work, 'clone-live')
    const clone = program('clone.js', [
      key,
      dest,
      '--sparse',
      '/small',
      '--live',
      '--storage',
      join(work, 'reader-live'),
      ...net,
    ])
    await clone.waitFor('cloned', STEP_MS)
    const changed = join('small', 'dir01', 'file003.txt')
    // Only updates printed after the change count: the clone may still be catching up before it.
    const since = clone.mark()
    await writeFile(join(source, changed), 'a live change\n')
    await clone.waitFor(
      'updated',
      STEP_MS,
      (e) => String(e.paths).includes('/small/dir01/file003.txt'),
      since,
    )
    expect(await readFile(join(dest, changed), 'utf8')).toBe('a live change\n')
    await clone.stop()
  })

  it('a clone killed mid-way resumes from its storage and never leaves a torn file', async () => {
    const dest = join(work, 'clone-resume')
    const storage = join(work, 'reader-resume')
    const first = program('clone.js', [key, dest, '--storage', storage, ...net])
    await first.waitFor('progress', STEP_MS, (e) => Number(e.files) >= 20)
    first.child.kill('SIGKILL')
    await first.exited
    // Whatever the killed clone left under a final name is complete.
    for await (const file of walkFiles(dest)) {
      if (file.endsWith('.partial')) continue
      expect(
        (await readFile(file)).equals(await readFile(join(source, relative(dest, file)))),
      ).toBe(true)
    }
    const second = program('clone.js', [key, dest, '--storage', storage, ...net])
    const cloned = await second.waitFor('cloned', STEP_MS)
    expect(await second.exited).toBe(0)
    expect(Number(cloned.written)).toBeLessThan(Number(cloned.files))
    await sameTree(source, dest)
  })
})

describe('bad input: one line, a non-zero exit, no stack trace', () => {
  async function run(
    name: string,
    args: string[],
  ): Promise<{ code: number | null; stderr: string }> {
    const child = spawn(process.execPath, [join(DIST, name), ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    return { code, stderr }
  }

  // Progress lines may come first; the failure itself is exactly one `error:` line, last.
  function expectOneLine(stderr: string, pattern: RegExp) {
    const lines = stderr.trim().split('\n')
    expect(lines.filter((line) => line.startsWith('error:'))).toHaveLength(1)
    expect(lines.at(-1)).toMatch(/^error: /)
    expect(lines.at(-1)).toMatch(pattern)
    expect(stderr).not.toMatch(/\n\s+at /)
  }

  it('a key that is not 64 hex characters', async () => {
    const { code, stderr } = await run('clone.js', ['not-a-key', join(work, 'x')])
    expect(code).toBe(2)
    expectOneLine(stderr, /64 hex characters/)
  })

  it('a key nobody seeds gives up after --timeout', async () => {
    const { code, stderr } = await run('cat.js', ['cd'.repeat(32), '/a', '--timeout', '2', ...net])
    expect(code).toBe(4)
    expectOneLine(stderr, /no peer found/)
  })

  it('a folder that does not exist', async () => {
    const { code, stderr } = await run('share.js', [join(work, 'missing'), ...net])
    expect(code).toBe(3)
    expectOneLine(stderr, /does not exist/)
  })

  it('a storage folder in use by another process', async () => {
    const { code, stderr } = await run('share.js', [
      source,
      '--storage',
      join(work, 'writer'),
      ...net,
    ])
    expect(code).toBe(5)
    expectOneLine(stderr, /in use by process \d+/)
  })

  it('a missing path in the drive', async () => {
    const { code, stderr } = await run('cat.js', [key, '/no/such/file', ...net])
    expect(code).toBe(3)
    expectOneLine(stderr, /does not exist/)
  })
})
