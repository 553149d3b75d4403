// Drives that close after each test of the file that asks for them.
import { afterEach } from 'vitest'
import { Hyperdrive } from '../../src/index.js'
import { memoryStorage } from './hyperstack-backend.js'

/**
 * Cleanups run newest first after each test of the calling file (call it at its top level),
 * and `newDrive`: a ready drive (in memory unless given storage) that closes with them.
 */
export function drivesClosedAfterEach(): {
  cleanup: (() => unknown)[]
  newDrive: (storage?: ConstructorParameters<typeof Hyperdrive>[0]) => Promise<Hyperdrive>
} {
  const cleanup: (() => unknown)[] = []
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn()
  })
  const newDrive = async (
    storage: ConstructorParameters<typeof Hyperdrive>[0] = memoryStorage(),
  ) => {
    const drive = new Hyperdrive(storage)
    cleanup.push(() => drive.close().catch(() => {}))
    await drive.ready()
    return drive
  }
  return { cleanup, newDrive }
}
