// The demo's sample folder: a few hundred small text files in a handful of directories and one
// large file of random bytes, written in chunks so memory stays flat.
import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export interface SampleFolderOptions {
  dirs: number
  filesPerDir: number
  bigFileBytes: number
}

export interface SampleFolder {
  smallFiles: number
  smallBytes: number
  bigFile: string
}

export async function writeSampleFolder(
  folder: string,
  opts: SampleFolderOptions,
): Promise<SampleFolder> {
  let smallBytes = 0
  for (let d = 0; d < opts.dirs; d++) {
    const dir = join(folder, 'small', `dir${String(d).padStart(2, '0')}`)
    await mkdir(dir, { recursive: true })
    for (let f = 0; f < opts.filesPerDir; f++) {
      const name = `file${String(f).padStart(3, '0')}.txt`
      const body = `${dir}/${name}\n${randomBytes(256 + ((d * 31 + f * 17) % 1800)).toString('base64')}\n`
      await writeFile(join(dir, name), body)
      smallBytes += Buffer.byteLength(body)
    }
  }
  const bigFile = join(folder, 'big.bin')
  const out = createWriteStream(bigFile)
  const chunk = 1024 * 1024
  for (let written = 0; written < opts.bigFileBytes; written += chunk) {
    const ok = out.write(randomBytes(Math.min(chunk, opts.bigFileBytes - written)))
    if (!ok) await new Promise<void>((resolve) => out.once('drain', () => resolve()))
  }
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  )
  return { smallFiles: opts.dirs * opts.filesPerDir, smallBytes, bigFile }
}
