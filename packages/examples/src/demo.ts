// The README's demo: everything on 127.0.0.1. A bootstrap node, a writer process sharing a
// generated folder, and reader processes that know only the key: they find the writer through
// the DHT, read 1 MiB from the middle of a 64 MiB file, clone the small files, and see a change
// arrive live. Every byte read is checked against the source; every process and temp folder is
// cleaned up.
import { readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { createBootstrapNode } from '@hyperstack/hyperswarm-dht'
import { ChildProgram } from './child-program.js'
import { walkFiles } from './folder-import.js'
import { formatBytes } from './reporter.js'
import { writeSampleFolder } from './sample-folder.js'
import { runMain } from './user-error.js'

const MiB = 1024 * 1024
const STEP_TIMEOUT_MS = 120_000

runMain(async () => {
  const work = await mkdtemp(join(tmpdir(), 'hyperstack-demo-'))
  const children: ChildProgram[] = []
  const bootstrapNode = await createBootstrapNode({ port: 0, host: '127.0.0.1' })
  const cleanup = async () => {
    await Promise.all(children.map((c) => c.stop()))
    await bootstrapNode.destroy()
    await rm(work, { recursive: true, force: true })
  }
  try {
    const bootstrapAddress = bootstrapNode.address()
    const bootstrap = `127.0.0.1:${bootstrapAddress.port}`
    const net = ['--bootstrap', bootstrap, '--host', '127.0.0.1']
    step(`DHT bootstrap node listening on ${bootstrap} (nothing leaves this machine)`)

    const source = join(work, 'source')
    const sample = await writeSampleFolder(source, {
      dirs: 10,
      filesPerDir: 30,
      bigFileBytes: 64 * MiB,
    })
    step(
      `sample folder: ${sample.smallFiles} small files (${formatBytes(sample.smallBytes)}) and a ${formatBytes(64 * MiB)} file`,
    )

    const writer = new ChildProgram(
      'share.js',
      [source, '--storage', join(work, 'writer'), '--watch', ...net],
      { eventsOn: 'stdout' },
    )
    children.push(writer)
    const imported = await writer.waitFor('imported', STEP_TIMEOUT_MS)
    const sharing = await writer.waitFor('sharing', STEP_TIMEOUT_MS)
    const key = String(sharing.key)
    step(`writer imported the folder in ${imported.ms} ms and shares hyper://${key}`)

    // 1 MiB from the middle of the big file, by a reader that knows only the key.
    const rangeStart = 32 * MiB - MiB / 2
    const rangeOut = join(work, 'range.bin')
    const reader = new ChildProgram(
      'cat.js',
      [
        key,
        '/big.bin',
        '--start',
        String(rangeStart),
        '--length',
        String(MiB),
        '--out',
        rangeOut,
        ...net,
      ],
      { eventsOn: 'stderr' },
    )
    children.push(reader)
    const connected = await reader.waitFor('connected', STEP_TIMEOUT_MS)
    const read = await reader.waitFor('read', STEP_TIMEOUT_MS)
    await reader.exited
    const expected = (await readFile(sample.bigFile)).subarray(rangeStart, rangeStart + MiB)
    const got = await readFile(rangeOut)
    if (!got.equals(expected))
      throw new Error('the range read from the drive differs from the source file')
    step(`reader found the writer through the DHT and connected in ${connected.ms} ms`)
    step(
      `read 1 MiB from the middle of big.bin in ${read.ms} ms, moving ${formatBytes(Number(read.wireBytes))} on the wire for ${formatBytes(MiB)} of data (${(Number(read.wireBytes) / MiB).toFixed(2)}×); bytes verified`,
    )

    // Clone the small files and stay live.
    const cloneDir = join(work, 'clone')
    const cloner = new ChildProgram(
      'clone.js',
      [key, cloneDir, '--sparse', '/small', '--live', '--storage', join(work, 'reader'), ...net],
      { eventsOn: 'stdout' },
    )
    children.push(cloner)
    const cloned = await cloner.waitFor('cloned', STEP_TIMEOUT_MS)
    let checked = 0
    for await (const file of walkFiles(join(source, 'small'))) {
      const copy = join(cloneDir, relative(source, file))
      if (!(await readFile(copy)).equals(await readFile(file)))
        throw new Error(`cloned ${copy} differs from the source`)
      checked++
    }
    const clonedEntries = await readdir(join(cloneDir, 'small'), { recursive: true })
    if (
      checked !== sample.smallFiles ||
      clonedEntries.filter((e) => e.endsWith('.txt')).length !== sample.smallFiles
    ) {
      throw new Error(`expected ${sample.smallFiles} cloned files, verified ${checked}`)
    }
    step(
      `cloned ${cloned.files} small files in ${cloned.ms} ms (${cloned.filesPerSecond} files/s); every byte verified`,
    )

    // A change on the writer's side reaches the live reader.
    const changed = join('small', 'dir00', 'file000.txt')
    const newBody = `changed at ${new Date().toISOString()}\n`
    // Only updates printed after the change count: the clone may still be catching up before it.
    const writerSince = writer.mark()
    const clonerSince = cloner.mark()
    const changedAt = Date.now()
    await writeFile(join(source, changed), newBody)
    await writer.waitFor(
      'updated',
      STEP_TIMEOUT_MS,
      (e) => String(e.paths).includes('/small/dir00/file000.txt'),
      writerSince,
    )
    await cloner.waitFor(
      'updated',
      STEP_TIMEOUT_MS,
      (e) => String(e.paths).includes('/small/dir00/file000.txt'),
      clonerSince,
    )
    if ((await readFile(join(cloneDir, changed), 'utf8')) !== newBody)
      throw new Error('the live update arrived with the wrong contents')
    step(
      `a file changed by the writer arrived live at the reader in ${Date.now() - changedAt} ms; contents verified`,
    )
    step('demo complete: all bytes verified')
  } finally {
    await cleanup()
  }
})

function step(text: string): void {
  process.stdout.write(`• ${text}\n`)
}
