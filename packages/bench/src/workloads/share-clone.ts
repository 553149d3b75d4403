// share-clone: the examples' share/clone flow over loopback through the DHT. A bootstrap node on
// 127.0.0.1, a writer drive on disk (built once by `prepare`) joined as announcer, and a fresh
// reader drive on disk joined as looker, all in the worker's one process (so CPU and RSS count
// both peers). The reader lists every folder and reads every file, sixteen at once, as `clone`
// does; the bytes crossing the reader's socket (both ways) are the wire bytes. The original
// (hyperdrive@10 + hyperswarm@2) binds every interface and multicasts, so its worker runs in a
// network namespace of its own holding only loopback.
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { KiB as KIB, MiB as MIB, blockPool } from '../blocks.js'
import { higher, lower } from '../metric.js'
import { scaled } from '../sizes.js'
import { defineWorkload } from '../workload.js'

/** A drive on disk, as the share and clone sides use it. */
export interface ShareDrive {
  key: Buffer
  discoveryKey: Buffer
  writeFile(path: string, data: Buffer): Promise<void>
  writeStream(path: string, chunks: Iterable<Buffer>): Promise<void>
  /** Waits until the drive knows a newer version from a peer (reader side). */
  update(): Promise<void>
  readdir(path: string): Promise<string[]>
  readFile(path: string): Promise<Buffer>
  readStream(path: string): AsyncIterable<Buffer>
  close(): Promise<void>
}

/** A drive joined on the swarm, replicating over every connection. */
export interface ShareSession {
  /** Resolves at the first connection. */
  firstConnection: Promise<void>
  /** Bytes that crossed this side's sockets so far, in and out. */
  wireBytes(): number
  destroy(): Promise<void>
}

export interface ShareCloneAdapter {
  /** A DHT bootstrap node on 127.0.0.1; `address` is `host:port`. */
  bootstrapNode(): Promise<{ address: string; destroy(): Promise<void> }>
  /** Opens (creating) a drive stored in the folder `dir`; a reader when `key` is given. */
  openDrive(dir: string, key?: Buffer): Promise<ShareDrive>
  /** Joins the drive's discovery key (announcing or looking up); resolves once joined. */
  join(drive: ShareDrive, bootstrap: string[], mode: 'announce' | 'lookup'): Promise<ShareSession>
}

const CHUNK = 64 * KIB
const DIRS = 100
const SMALL_FILES = () => scaled(10_000, DIRS)
/** 256 MiB in 64 KiB chunks (×BENCH_SCALE: 25.6 MiB quick). */
const BIG_CHUNKS = () => scaled((256 * MIB) / CHUNK)
const BIG_PATH = '/big.bin'
const WRITE_GROUP = 100
/** Files read at once, as packages/examples' clone does (its EXPORT_CONCURRENCY). */
const CLONE_READS = 16
/** A run that finds no peer within this long fails instead of hanging. */
const CONNECT_TIMEOUT_MS = 30_000

const smallPath = (i: number): string => `/dir${i % DIRS}/file${i}`

function* bigChunks(count: number): Generator<Buffer> {
  const pool = blockPool(16, CHUNK)
  for (let i = 0; i < count; i++) yield pool[i % pool.length] as Buffer
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

export const shareClone = defineWorkload<ShareCloneAdapter>({
  name: 'share-clone',
  description: '10k x 1 KiB + one 256 MiB file shared and cloned over loopback via the DHT',
  cases: ['loopback'],
  networkNamespace: ['originals'],
  adapters: {
    originals: async () => (await import('../adapters/originals/share.js')).shareAdapter,
    ours: async () => (await import('../adapters/ours/share.js')).shareAdapter,
  },
  async prepare(adapter, { dir }) {
    const drive = await adapter.openDrive(join(dir, 'writer'))
    const files = SMALL_FILES()
    const pool = blockPool(64, KIB)
    const started = performance.now()
    for (let i = 0; i < files; i += WRITE_GROUP) {
      const group: Promise<void>[] = []
      for (let j = i; j < Math.min(i + WRITE_GROUP, files); j++) {
        group.push(drive.writeFile(smallPath(j), pool[j % pool.length] as Buffer))
      }
      await Promise.all(group)
    }
    await drive.writeStream(BIG_PATH, bigChunks(BIG_CHUNKS()))
    const seconds = (performance.now() - started) / 1000
    await drive.close()
    return [higher('build', (files * KIB + BIG_CHUNKS() * CHUNK) / MIB / seconds, 'MiB/s')]
  },
  async run(adapter, { dir }) {
    const readerDir = join(dir, 'reader')
    await rm(readerDir, { recursive: true, force: true })
    const bootstrap = await adapter.bootstrapNode()
    const writer = await adapter.openDrive(join(dir, 'writer'))
    const reader = await adapter.openDrive(readerDir, writer.key)
    const sessions: ShareSession[] = []
    try {
      sessions.push(await adapter.join(writer, [bootstrap.address], 'announce'))
      const started = performance.now()
      const clone = await adapter.join(reader, [bootstrap.address], 'lookup')
      sessions.push(clone)
      await withTimeout(clone.firstConnection, CONNECT_TIMEOUT_MS, 'share-clone first connection')
      const connectedMs = performance.now() - started

      // Small files: list the tree, then read every file, CLONE_READS at once as clone does.
      await reader.update()
      const smallStarted = performance.now()
      const dirs = (await reader.readdir('/')).filter((name) => name.startsWith('dir'))
      const paths: string[] = []
      for (const name of dirs) {
        for (const file of await reader.readdir(`/${name}`)) paths.push(`/${name}/${file}`)
      }
      let files = 0
      let bytes = 0
      let next = 0
      const worker = async (): Promise<void> => {
        while (next < paths.length) {
          const data = await reader.readFile(paths[next++])
          bytes += data.length
          files++
        }
      }
      await Promise.all(Array.from({ length: CLONE_READS }, worker))
      const smallSeconds = (performance.now() - smallStarted) / 1000
      if (files !== SMALL_FILES() || bytes !== files * KIB) {
        throw new Error(`cloned ${files} files (${bytes} bytes), expected ${SMALL_FILES()} x 1 KiB`)
      }

      // The big file, streamed.
      const bigStarted = performance.now()
      let bigBytes = 0
      for await (const chunk of reader.readStream(BIG_PATH)) bigBytes += chunk.length
      const bigSeconds = (performance.now() - bigStarted) / 1000
      if (bigBytes !== BIG_CHUNKS() * CHUNK) {
        throw new Error(`cloned ${bigBytes} bytes of ${BIG_PATH}, expected ${BIG_CHUNKS() * CHUNK}`)
      }
      const payload = bytes + bigBytes
      return [
        lower('first-connection', connectedMs, 'ms'),
        higher('clone-files', files / smallSeconds, 'files/s'),
        higher('clone-big', bigBytes / MIB / bigSeconds, 'MiB/s'),
        higher('clone-all', payload / MIB / (smallSeconds + bigSeconds), 'MiB/s'),
        lower('wire-per-payload', clone.wireBytes() / payload, 'x'),
      ]
    } finally {
      for (const session of sessions.reverse()) await session.destroy()
      await Promise.all([reader.close(), writer.close()])
      await bootstrap.destroy()
    }
  },
})
