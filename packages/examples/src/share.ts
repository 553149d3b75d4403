// share <folder>: imports a folder into a drive on disk, seeds it on the swarm and prints its key.
// Re-running with the same --storage reopens the drive and imports only what changed.
import { watch } from 'node:fs'
import { stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { Hyperdrive } from '@hyperstack/hyperdrive'
import { parseBootstrapList } from './bootstrap-option.js'
import { formatDriveUrl } from './drive-key.js'
import { importFolder } from './folder-import.js'
import { Reporter, formatBytes } from './reporter.js'
import { lockStorage } from './storage-lock.js'
import { SwarmSession } from './swarm-session.js'
import { EXIT, UserError, runMain } from './user-error.js'

const USAGE =
  'usage: share <folder> [--storage dir] [--watch] [--bootstrap host:port,...] [--host addr] [--json]'

runMain(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      storage: { type: 'string' },
      watch: { type: 'boolean', default: false },
      bootstrap: { type: 'string' },
      host: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  })
  if (positionals.length !== 1) throw new UserError('ERR_USAGE', USAGE, EXIT.usage)
  const folder = resolve(positionals[0] as string)
  const folderStat = await stat(folder).catch(() => null)
  if (!folderStat?.isDirectory()) {
    throw new UserError(
      'ERR_NOT_FOUND',
      `folder ${folder} does not exist or is not a folder`,
      EXIT.notFound,
    )
  }
  const bootstrap = parseBootstrapList(values.bootstrap)
  const storage = resolve(
    values.storage ?? join(folder, '..', `.${folder.split('/').pop()}.hyperdrive`),
  )
  const reporter = new Reporter({ json: values.json })
  const lock = lockStorage(storage)

  const drive = new Hyperdrive(storage)
  await drive.ready()
  const started = Date.now()
  const imported = await importFolder(drive, folder)
  reporter.event(
    'imported',
    {
      added: imported.added.length,
      changed: imported.changed.length,
      removed: imported.removed.length,
      unchanged: imported.unchanged,
      bytes: imported.bytes,
      ms: Date.now() - started,
      version: drive.version,
    },
    `imported ${folder}: ${imported.added.length} added, ${imported.changed.length} changed, ${imported.removed.length} removed, ${imported.unchanged} unchanged (${formatBytes(imported.bytes)})`,
  )

  const session = new SwarmSession(drive, {
    bootstrap,
    host: values.host,
    announce: true,
    lookup: false,
  })
  await session.join
  const key = (drive.key as Buffer).toString('hex')
  reporter.event(
    'sharing',
    {
      key,
      url: formatDriveUrl(drive.key as Buffer),
      discoveryKey: (drive.discoveryKey as Buffer).toString('hex'),
    },
    `sharing ${formatDriveUrl(drive.key as Buffer)}\nkey: ${key}`,
  )
  session.swarm.on('connection', () =>
    reporter.event('peer', { peers: session.peers }, `peer connected (${session.peers} so far)`),
  )

  let watcher: ReturnType<typeof watch> | null = null
  if (values.watch) {
    let timer: NodeJS.Timeout | null = null
    let running = Promise.resolve()
    const sync = () => {
      running = running.then(async () => {
        const changes = await importFolder(drive, folder)
        const paths = [...changes.added, ...changes.changed, ...changes.removed]
        if (paths.length > 0) {
          reporter.event(
            'updated',
            { paths: paths.join(','), version: drive.version },
            `updated ${paths.join(', ')} (version ${drive.version})`,
          )
        }
      })
    }
    watcher = watch(folder, { recursive: true }, () => {
      if (timer) clearTimeout(timer)
      timer = setTimeout(sync, 100)
    })
  }

  await new Promise<void>((done) => {
    process.once('SIGINT', done)
    process.once('SIGTERM', done)
  })
  watcher?.close()
  await session.close()
  await drive.close()
  lock.release()
  reporter.event('stopped', {}, 'stopped sharing')
})
