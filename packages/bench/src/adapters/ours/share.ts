// @hyperstack/hyperdrive + @hyperstack/hyperswarm (+ a @hyperstack/hyperswarm-dht bootstrap
// node) behind the share-clone adapter: the flow of packages/examples' share and clone programs
// (SwarmSession), composed here from the public packages since examples is not a library.
import { Hyperdrive } from '@hyperstack/hyperdrive'
import { Hyperswarm } from '@hyperstack/hyperswarm'
import { createBootstrapNode } from '@hyperstack/hyperswarm-dht'
import type { ShareCloneAdapter, ShareDrive } from '../../workloads/share-clone.js'
import { bytesOf, readFileBytes, updateMetadata, writeChunks } from './drive-io.js'

const LOOPBACK = '127.0.0.1'

interface Socket extends NodeJS.ReadWriteStream {
  destroy(err?: Error): void
}

/** The Hyperdrive behind each wrapped drive, for `join`. */
const drives = new WeakMap<ShareDrive, Hyperdrive>()

function wrapDrive(drive: Hyperdrive): ShareDrive {
  if (!drive.key || !drive.discoveryKey) throw new Error('the drive has no key after ready()')
  const wrapped: ShareDrive = {
    key: drive.key,
    discoveryKey: drive.discoveryKey,
    writeFile: async (path, data) => void (await drive.writeFile(path, data)),
    writeStream: (path, chunks) => writeChunks(drive, path, chunks),
    update: () => updateMetadata(drive),
    readdir: (path) => drive.readdir(path),
    readFile: (path) => readFileBytes(drive, path),
    readStream: (path) => bytesOf(drive.createReadStream(path)),
    close: () => drive.close(),
  }
  drives.set(wrapped, drive)
  return wrapped
}

export const shareAdapter: ShareCloneAdapter = {
  async bootstrapNode() {
    const node = await createBootstrapNode({ port: 0, host: LOOPBACK })
    return { address: `${LOOPBACK}:${node.address().port}`, destroy: () => node.destroy() }
  },
  async openDrive(dir, key) {
    const drive = new Hyperdrive(dir, key ?? null)
    await drive.ready()
    return wrapDrive(drive)
  },
  async join(wrapped, bootstrap, mode) {
    const drive = drives.get(wrapped)
    if (!drive) throw new Error('join takes a drive opened by this adapter')
    const swarm = new Hyperswarm({ bootstrap, host: LOOPBACK })
    swarm.on('error', () => {})
    let wire = 0
    const firstConnection = new Promise<void>((resolve) => {
      swarm.on('connection', (socket: Socket, info: { client: boolean }) => {
        const stream = drive.replicate(info.client, { live: true })
        socket.on('data', (chunk: Buffer) => {
          wire += chunk.length
        })
        stream.on('data', (chunk: Buffer) => {
          wire += chunk.length
        })
        socket.on('error', () => stream.destroy())
        stream.on('error', () => socket.destroy())
        socket.pipe(stream)
        stream.pipe(socket)
        resolve()
      })
    })
    await swarm.join(wrapped.discoveryKey, {
      announce: mode === 'announce',
      lookup: mode === 'lookup',
    })
    return { firstConnection, wireBytes: () => wire, destroy: () => swarm.destroy() }
  },
}
