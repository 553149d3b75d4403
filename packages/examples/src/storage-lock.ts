// One process per storage folder: a LOCK file holding the owner's pid, taken with O_EXCL.
// A lock left by a process that no longer exists is taken over.
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { EXIT, UserError } from './user-error.js'

export interface StorageLock {
  release(): void
}

export function lockStorage(dir: string): StorageLock {
  mkdirSync(dir, { recursive: true })
  const file = join(dir, 'LOCK')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' })
      let released = false
      return {
        release() {
          if (released) return
          released = true
          try {
            unlinkSync(file)
          } catch {}
        },
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const owner = Number(readFileSync(file, 'utf8'))
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new UserError(
          'ERR_STORAGE_LOCKED',
          `storage folder ${dir} is in use by process ${owner}; stop it or choose another --storage`,
          EXIT.locked,
        )
      }
      unlinkSync(file) // stale: its owner is gone
    }
  }
  throw new UserError('ERR_STORAGE_LOCKED', `could not lock storage folder ${dir}`, EXIT.locked)
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
