// hyperdrive@10 (with corestore@5) behind the drive workloads' adapter interface.
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { fromCallback } from '../../originals/callback.js'
import { type OriginalDrive, hyperdrive } from '../../originals/hyperdrive.js'
import { originalStorage } from '../../originals/storage.js'
import type { BenchDrive, DriveAdapter } from '../../workloads/drive-common.js'

function wrapDrive(drive: OriginalDrive): BenchDrive {
  const writeFile = (path: string, data: Buffer): Promise<void> =>
    fromCallback((cb) => drive.writeFile(path, data, cb))
  return {
    key: drive.key,
    writeFile,
    writeFiles: async (files) => {
      await Promise.all(files.map((file) => writeFile(file.path, file.data)))
    },
    readFile: (path) => fromCallback<Buffer>((cb) => drive.readFile(path, cb)),
    stat: async (path) => (await fromCallback<{ size: number }>((cb) => drive.stat(path, cb))).size,
    readdir: (path) => fromCallback<string[]>((cb) => drive.readdir(path, cb)),
    writeStream: (path, chunks) => pipeline(Readable.from(chunks), drive.createWriteStream(path)),
    readStream: (path, range) => drive.createReadStream(path, range),
    update: () => fromCallback((cb) => drive.metadata.update(cb)),
    replicate: (isInitiator) => drive.replicate(isInitiator, { live: true }),
    close: () => fromCallback((cb) => drive.close(cb)),
  }
}

export const driveAdapter: DriveAdapter = {
  async open(storage, dir) {
    const drive = hyperdrive(originalStorage(storage, dir))
    await fromCallback((cb) => drive.ready(cb))
    return wrapDrive(drive)
  },
  async clone(key) {
    const drive = hyperdrive(originalStorage('ram', ''), key, { sparse: true })
    await fromCallback((cb) => drive.ready(cb))
    return wrapDrive(drive)
  },
}
