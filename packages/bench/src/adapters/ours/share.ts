// @hyperstack/hyperdrive + @hyperstack/hyperswarm (+ a @hyperstack/hyperswarm-dht bootstrap
// node) behind the share-clone adapter: the flow of packages/examples' share and clone programs
// (SwarmSession), composed here from the public packages since examples is not a library.
import { Hyperdrive } from '@hyperstack/hyperdrive'
import { Hyperswarm } from '@hyperstack/hyperswarm'
import { createBootstrapNode } from '@hyperstack/hyperswarm-dht'
import type { ShareCloneAdapter, ShareDrive } from '../../workloads/share-clone.js'

const LOOPBACK = '127.0.0.1'

interface Socket extends NodeJS.ReadWriteStream {
  destroy(err?: Error): void
}

/** Our read streams are streamx streams of Buffers; anything else is a bug worth failing on. */
async function* bytesOf(stream: AsyncIterable<unknown>): AsyncGenerator<Buffer> {
  for await (const chunk of stream) {
    if (!Buffer.isBuffer(chunk)) throw new TypeError('a drive read stream emitted non-bytes')
    yield chunk
  }
}

/** The Hyperdrive behind each wrapped drive, for `join`. */
const drives = new WeakMap<ShareDrive, Hyperdrive>()

function wrapDrive(drive: Hyperdrive): ShareDrive {
  if (!drive.key || !drive.discoveryKey) throw new Error('the drive has no key after ready()')
  const wrapped: ShareDrive = {
    key: drive.key,
    discoveryKey: drive.discoveryKey,
    writeFile: async (path, data) => void (await drive.writeFile(path, data)),
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
    update: async () => {
      if (!drive.metadata?.update) throw new Error('the drive metadata core cannot update')
      await drive.metadata.update()
    },
    readdir: (path) => drive.readdir(path),
    readFile: async (path) => {
      const data = await drive.readFile(path)
      if (!Buffer.isBuffer(data)) throw new TypeError(`readFile ${path} did not return bytes`)
      return data
    },
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
        // The drive's replication stream is a duplex protocol stream; its declared type is narrower.
        const stream = drive.replicate(info.client, { live: true }) as unknown as Socket
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
