// @hyperstack/hyperdrive behind the drive workloads' adapter interface.
import { Hyperdrive } from '@hyperstack/hyperdrive'
import { asReplicationStream } from '../../link.js'
import type { BenchDrive, DriveAdapter } from '../../workloads/drive-common.js'
import { oursStorage } from './storage.js'

/** Our read streams are streamx streams of Buffers; anything else is a bug worth failing on. */
async function* bytesOf(stream: AsyncIterable<unknown>): AsyncGenerator<Buffer> {
  for await (const chunk of stream) {
    if (!Buffer.isBuffer(chunk)) throw new TypeError('a drive read stream emitted non-bytes')
    yield chunk
  }
}

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
    readFile: async (path) => {
      const data = await drive.readFile(path)
      if (!Buffer.isBuffer(data)) throw new TypeError(`readFile ${path} did not return bytes`)
      return data
    },
    stat: async (path) => (await drive.stat(path)).size,
    readdir: (path) => drive.readdir(path),
    writeStream: async (path, chunks) => {
      const stream = drive.createWriteStream(path)
      const finished = new Promise<void>((resolve, reject) => {
        stream.once('finish', () => resolve())
        stream.once('error', reject)
      })
      for (const chunk of chunks) {
        if (!stream.write(chunk))
          await new Promise<void>((resolve) => stream.once('drain', resolve))
      }
      stream.end(null) // streamx types `end` with a required argument; null writes nothing
      await finished
    },
    readStream: (path, range) => bytesOf(drive.createReadStream(path, range)),
    update: async () => {
      if (!drive.metadata?.update) throw new Error('the drive metadata core cannot update')
      await drive.metadata.update()
    },
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
