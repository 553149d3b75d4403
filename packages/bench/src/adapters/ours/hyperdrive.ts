// @hyperstack/hyperdrive behind the drive workloads' adapter interface.
import { Hyperdrive } from '@hyperstack/hyperdrive'
import { asReplicationStream } from '../../link.js'
import type { BenchDrive, DriveAdapter } from '../../workloads/drive-common.js'
import { bytesOf, readFileBytes, updateMetadata, writeChunks } from './drive-io.js'
import { oursStorage } from './storage.js'

function wrapDrive(drive: Hyperdrive): BenchDrive {
  if (!drive.key) throw new Error('the drive has no key after ready()')
  const writeFile = async (path: string, data: Buffer): Promise<void> => {
    await drive.writeFile(path, data)
  }
  return {
    key: drive.key,
    writeFile,
    // No batch API yet: concurrent writes, as the original's adapter does.
    writeFiles: async (files) => {
      await Promise.all(files.map((file) => writeFile(file.path, file.data)))
    },
    readFile: (path) => readFileBytes(drive, path),
    stat: async (path) => (await drive.stat(path)).size,
    readdir: (path) => drive.readdir(path),
    writeStream: (path, chunks) => writeChunks(drive, path, chunks),
    readStream: (path, range) => bytesOf(drive.createReadStream(path, range)),
    update: () => updateMetadata(drive),
    replicate: (isInitiator) => asReplicationStream(drive.replicate(isInitiator, { live: true })),
    close: () => drive.close(),
  }
}

export const driveAdapter: DriveAdapter = {
  async open(storage, dir) {
    const drive = new Hyperdrive(oursStorage(storage, dir))
    await drive.ready()
    return wrapDrive(drive)
  },
  async clone(key) {
    const drive = new Hyperdrive(oursStorage('ram', ''), key, { sparse: true })
    await drive.ready()
    return wrapDrive(drive)
  },
}
