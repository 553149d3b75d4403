// hyperdrive@10 + hyperswarm@2 (+ a @hyperswarm/dht@4 bootstrap node) behind the share-clone
// adapter. The worker runs in its own network namespace (only loopback).
import type { Duplex, Readable } from 'node:stream'
import { fromCallback } from '../../originals/callback.js'
import { type OriginalDrive, hyperdrive } from '../../originals/hyperdrive.js'
import { hyperswarm } from '../../originals/hyperswarm.js'
import { originalStorage } from '../../originals/storage.js'
import type { ShareCloneAdapter, ShareDrive } from '../../workloads/share-clone.js'
import { destroySwarm, joinSwarm, originalBootstrapNode } from './swarm.js'

async function* bytesOf(stream: Readable): AsyncGenerator<Buffer> {
  for await (const chunk of stream) {
    if (!Buffer.isBuffer(chunk)) throw new TypeError('a drive read stream emitted non-bytes')
    yield chunk
  }
}

const drives = new WeakMap<ShareDrive, OriginalDrive>()

function wrapDrive(drive: OriginalDrive): ShareDrive {
  const wrapped: ShareDrive = {
    key: drive.key,
    discoveryKey: drive.discoveryKey,
    writeFile: (path, data) => fromCallback((cb) => drive.writeFile(path, data, cb)),
    writeStream: async (path, chunks) => {
      const stream = drive.createWriteStream(path)
      const finished = new Promise<void>((resolve, reject) => {
        stream.once('finish', resolve)
        stream.once('error', reject)
      })
      for (const chunk of chunks) {
        if (!stream.write(chunk))
          await new Promise<void>((resolve) => stream.once('drain', resolve))
      }
      stream.end()
      await finished
    },
    update: () => fromCallback((cb) => drive.metadata.update(cb)),
    readdir: (path) => fromCallback<string[]>((cb) => drive.readdir(path, cb)),
    readFile: (path) => fromCallback<Buffer>((cb) => drive.readFile(path, cb)),
    readStream: (path) => bytesOf(drive.createReadStream(path)),
    close: () => fromCallback((cb) => drive.close(cb)),
  }
  drives.set(wrapped, drive)
  return wrapped
}

export const shareAdapter: ShareCloneAdapter = {
  bootstrapNode: originalBootstrapNode,
  async openDrive(dir, key) {
    // random-access-file@2 under `dir` (a bare path would resolve hyperdrive's own, newer one).
    const drive = hyperdrive(originalStorage('file', dir), key ?? null)
    await fromCallback((cb) => drive.ready(cb))
    return wrapDrive(drive)
  },
  async join(wrapped, bootstrap, mode) {
    const drive = drives.get(wrapped)
    if (!drive) throw new Error('join takes a drive opened by this adapter')
    const swarm = hyperswarm({ bootstrap })
    swarm.on('error', () => {})
    let wire = 0
    const firstConnection = new Promise<void>((resolve) => {
      swarm.on('connection', (socket: Duplex, info) => {
        const stream = drive.replicate(info.client, { live: true })
        socket.on('data', (chunk: Buffer) => {
          wire += chunk.length
        })
        stream.on('data', (chunk: Buffer) => {
          wire += chunk.length
        })
        socket.on('error', () => stream.destroy())
        stream.on('error', () => socket.destroy())
        socket.pipe(stream).pipe(socket)
        resolve()
      })
    })
    await joinSwarm(swarm, wrapped.discoveryKey, {
      announce: mode === 'announce',
      lookup: mode === 'lookup',
    })
    return { firstConnection, wireBytes: () => wire, destroy: () => destroySwarm(swarm) }
  },
}
