// cat <key> <path>: prints one file, or a byte range of it, fetching only the blocks that cover
// it. The bytes go to stdout (or --out); events go to stderr so they never mix with the data.
import { createWriteStream } from 'node:fs'
import { resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { parseArgs } from 'node:util'
import { Hyperdrive } from '@hyperstack/hyperdrive'
import RAM from 'random-access-memory'
import { parseBootstrapList } from './bootstrap-option.js'
import { parseDriveAddress } from './drive-key.js'
import { Reporter, formatBytes } from './reporter.js'
import { SwarmSession } from './swarm-session.js'
import { EXIT, UserError, runMain } from './user-error.js'

const USAGE =
  'usage: cat <key> <path> [--start N] [--length N] [--out file] [--storage dir] [--timeout s] [--bootstrap host:port,...] [--json]'

runMain(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      start: { type: 'string' },
      length: { type: 'string' },
      out: { type: 'string' },
      storage: { type: 'string' },
      timeout: { type: 'string', default: '20' },
      bootstrap: { type: 'string' },
      host: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  })
  if (positionals.length < 1 || positionals.length > 2)
    throw new UserError('ERR_USAGE', USAGE, EXIT.usage)
  const address = parseDriveAddress(positionals[0] as string)
  const path = positionals[1] ?? address.path
  const start = parseCount('--start', values.start, 0)
  const length = values.length === undefined ? undefined : parseCount('--length', values.length, 1)
  const timeoutSeconds = parseCount('--timeout', values.timeout, 1)
  const reporter = new Reporter({ json: values.json, out: process.stderr })

  // Without --storage, nothing is kept: the blocks live in memory for this one read.
  const storage = values.storage ? resolve(values.storage) : () => new RAM()
  const drive = new Hyperdrive(storage, address.key)
  await drive.ready()
  const session = new SwarmSession(drive, {
    bootstrap: parseBootstrapList(values.bootstrap),
    host: values.host,
    announce: false,
    lookup: true,
  })
  try {
    const hex = address.key.toString('hex')
    if (!(await session.waitForPeer(timeoutSeconds * 1000))) {
      throw new UserError(
        'ERR_NO_PEER',
        `no peer found for ${hex} within ${timeoutSeconds} s`,
        EXIT.noPeer,
      )
    }
    reporter.event(
      'connected',
      { ms: session.firstConnectionMs ?? 0 },
      `connected to a peer in ${session.firstConnectionMs} ms`,
    )
    const stat = await drive.stat(path).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT')
        throw new UserError(
          'ERR_NOT_FOUND',
          `${path} does not exist in drive ${hex}`,
          EXIT.notFound,
        )
      throw err
    })
    if (!stat.isFile()) throw new UserError('ERR_NOT_FOUND', `${path} is not a file`, EXIT.notFound)
    const end = Math.min(stat.size, length === undefined ? stat.size : start + length)
    const wireBefore = session.bytesIn
    const startedAt = Date.now()
    const out = values.out ? createWriteStream(resolve(values.out)) : process.stdout
    let bytes = 0
    const source = drive.createReadStream(path, { start, length: Math.max(0, end - start) })
    source.on('data', (chunk: unknown) => {
      bytes += (chunk as Buffer).length
    })
    await pipeline(source, out)
    const wireBytes = session.bytesIn - wireBefore
    reporter.event(
      'read',
      { path, start, bytes, ms: Date.now() - startedAt, wireBytes },
      `read ${formatBytes(bytes)} of ${path} from byte ${start} in ${Date.now() - startedAt} ms; ${formatBytes(wireBytes)} on the wire`,
    )
  } finally {
    await session.close()
    await drive.close()
  }
})

function parseCount(name: string, value: string | undefined, min: number): number {
  const n = value === undefined ? min : Number(value)
  if (!Number.isSafeInteger(n) || n < min) {
    throw new UserError(
      'ERR_USAGE',
      `${name} takes a whole number ≥ ${min}, got ${value}`,
      EXIT.usage,
    )
  }
  return n
}
