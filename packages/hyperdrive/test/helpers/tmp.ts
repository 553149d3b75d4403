// Temporary folders that tests remove when done.
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export async function tempDir(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'hyperdrive-test-'))
  return { path, remove: () => rm(path, { recursive: true, force: true }) }
}

/** A writable copy of the read-only fixture storage folder. */
export async function copyFixture(): Promise<{ path: string; remove: () => Promise<void> }> {
  const dir = await tempDir()
  await cp(`${process.env.HYPERSTACK_SHARED}/fixtures/hyperdrive-v10-basic/storage`, dir.path, {
    recursive: true,
  })
  // The fixture files are read-only; make the copy writable so cores can open read-write.
  const { execFileSync } = await import('node:child_process')
  execFileSync('chmod', ['-R', 'u+w', dir.path])
  return dir
}
