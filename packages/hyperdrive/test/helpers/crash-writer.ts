// A child process for the crash test: opens the drive in folder argv[2] and performs the crash
// operations from number argv[3] on, forever, printing a JSON line as each one resolves.
import { Hyperdrive } from '../../src/index.js'
import { contentsOf, crashOp } from './crash-ops.js'

const [dir, from] = process.argv.slice(2)
const report = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`)

const drive = new Hyperdrive(dir)
await drive.ready()
report({ event: 'ready', key: drive.key?.toString('hex') })

for (let n = Number(from); ; n++) {
  const op = crashOp(n)
  if (op.kind === 'write') await drive.writeFile(op.path, contentsOf(op))
  else if (op.kind === 'fd-write') {
    const data = contentsOf(op)
    const fd = await drive.open(op.path, 'w')
    for (let at = 0, i = 0; i < op.sizes.length; at += op.sizes[i++])
      await drive.write(fd, data, at, op.sizes[i])
    await drive.close(fd)
  } else {
    // The operation may be a redo of one that landed before the previous kill.
    await drive.unlink(op.path).catch((err: { code?: string }) => {
      if (err.code !== 'ENOENT') throw err
    })
  }
  report({ event: 'ack', n })
}
