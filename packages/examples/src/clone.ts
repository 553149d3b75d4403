// clone <key> <folder>: finds the drive's peers through the DHT, replicates, and writes the
// drive's tree into the folder. Files land under a temporary name and are renamed when complete,
// so an interrupted clone never leaves a half-written file looking finished; the next run
// resumes from the blocks already in --storage.
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { Hyperdrive } from '@hyperstack/hyperdrive'
import { parseBootstrapList } from './bootstrap-option.js'
import { parseDriveAddress } from './drive-key.js'
import { exportTree } from './folder-export.js'
import { Reporter, formatBytes } from './reporter.js'
import { lockStorage } from './storage-lock.js'
import { SwarmSession } from './swarm-session.js'
import { EXIT, UserError, runMain } from './user-error.js'

const LIVE_RETRIES = 5

const USAGE =
  'usage: clone <key> <folder> [--storage dir] [--sparse PATH] [--live] [--timeout s] [--bootstrap host:port,...] [--json]'

runMain(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      storage: { type: 'string' },
      sparse: { type: 'string' },
      live: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '20' },
      bootstrap: { type: 'string' },
      host: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  })
  if (positionals.length !== 2) throw new UserError('ERR_USAGE', USAGE, EXIT.usage)
  const address = parseDriveAddress(positionals[0] as string)
  const folder = resolve(positionals[1] as string)
  const timeoutSeconds = Number(values.timeout)
  if (!(timeoutSeconds > 0))
    throw new UserError('ERR_USAGE', `--timeout takes seconds, got ${values.timeout}`, EXIT.usage)
  const bootstrap = parseBootstrapList(values.bootstrap)
  const storage = resolve(values.storage ?? `${folder}.hyperdrive`)
  const reporter = new Reporter({ json: values.json })
  const lock = lockStorage(storage)

  const drive = new Hyperdrive(storage, address.key)
  await drive.ready()
  const session = new SwarmSession(drive, {
    bootstrap,
    host: values.host,
    announce: false,
    lookup: true,
  })
  const hex = address.key.toString('hex')
  reporter.event('looking', { key: hex }, `looking for peers of ${hex}`)
  if (!(await session.waitForPeer(timeoutSeconds * 1000))) {
    await session.close()
    await drive.close()
    lock.release()
    throw new UserError(
      'ERR_NO_PEER',
      `no peer found for ${hex} within ${timeoutSeconds} s`,
      EXIT.noPeer,
    )
  }
  reporter.event(
    'connected',
    { ms: session.firstConnectionMs ?? 0, peers: session.peers },
    `connected to a peer in ${session.firstConnectionMs} ms`,
  )

  const root = values.sparse ?? (address.path === '/' ? '/' : address.path)
  const startedAt = Date.now()
  const cloned = await exportTree(drive, root, folder, (done, total) =>
    reporter.progress(done, total, startedAt),
  )
  const seconds = Math.max((Date.now() - startedAt) / 1000, 0.001)
  reporter.event(
    'cloned',
    {
      files: cloned.files,
      written: cloned.written,
      bytes: cloned.bytes,
      ms: Math.round(seconds * 1000),
      filesPerSecond: Math.round(cloned.files / seconds),
      wireBytes: session.bytesIn,
      version: drive.version,
    },
    `cloned ${cloned.files} files (${formatBytes(cloned.bytes)}) into ${folder} in ${seconds.toFixed(2)} s, ${Math.round(cloned.files / seconds)} files/s, ${formatBytes(cloned.bytes / seconds)}/s; ${formatBytes(session.bytesIn)} on the wire`,
  )

  if (values.live) {
    let running = Promise.resolve()
    const watcher = drive.watch(root, () => {
      running = running.then(() => syncLive(drive, root, folder, reporter))
    })
    await new Promise<void>((done) => {
      process.once('SIGINT', done)
      process.once('SIGTERM', done)
    })
    watcher.destroy()
    await running
  }
  await session.close()
  await drive.close()
  lock.release()
})

/**
 * Brings the folder up to date after a change notification. A change seen half-way (the new
 * length known, its entries not yet) fails the size check; it is retried a few times.
 */
async function syncLive(
  drive: Hyperdrive,
  root: string,
  folder: string,
  reporter: Reporter,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const update = await exportTree(drive, root, folder)
      if (update.changedPaths.length > 0) {
        reporter.event(
          'updated',
          { paths: update.changedPaths.join(','), version: drive.version },
          `updated ${update.changedPaths.join(', ')} (version ${drive.version})`,
        )
      }
      return
    } catch (err) {
      if (attempt >= LIVE_RETRIES) {
        reporter.event(
          'error',
          { message: (err as Error).message },
          `could not update: ${(err as Error).message}`,
        )
        return
      }
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt))
    }
  }
}
