// Proves the originals we test against run on this machine: hyperdrive@10 writes and reads a file.
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'

const require = createRequire(import.meta.url)

interface OriginalDrivePromises {
  writeFile(path: string, data: string | Buffer): Promise<void>
  readFile(path: string, opts?: { encoding?: string }): Promise<Buffer | string>
  readdir(path: string): Promise<string[]>
}
interface OriginalDrive {
  promises: OriginalDrivePromises
  ready(cb: (err: Error | null) => void): void
  close(cb: (err: Error | null) => void): void
  key: Buffer
}
type OriginalHyperdrive = (storage: unknown, key?: Buffer | null) => OriginalDrive
const hyperdrive = require('hyperdrive') as OriginalHyperdrive
const ram = require('random-access-memory-v3') as () => unknown

describe('hyperdrive@10 smoke', () => {
  it('writes a file and reads it back', async () => {
    const drive = hyperdrive(ram)
    await new Promise<void>((resolve, reject) =>
      drive.ready((err) => (err ? reject(err) : resolve())),
    )
    await drive.promises.writeFile('/docs/hello.txt', 'hello hyperdrive')
    expect(await drive.promises.readFile('/docs/hello.txt', { encoding: 'utf-8' })).toBe(
      'hello hyperdrive',
    )
    expect(await drive.promises.readdir('/docs')).toEqual(['hello.txt'])
    expect(drive.key.length).toBe(32)
    await new Promise<void>((resolve, reject) =>
      drive.close((err) => (err ? reject(err) : resolve())),
    )
  })
})
