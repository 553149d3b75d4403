// Feed extensions between our Hypercore and hypercore@9 when the receiving core is still opening
// as its stream starts: extension names must be announced once both sides opened the channel,
// or the late side never learns them and drops every message.
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { Hypercore } from '../../src/index.js'
import { closedAfterEach } from '../helpers.js'
import { cb, hypercore9, openOriginal, ramV3 } from './original.js'

const require = createRequire(import.meta.url)
/** random-access-storage@1, the API hypercore@9's storage functions return. */
const RandomAccessV1 = createRequire(require.resolve('random-access-memory-v3'))(
  'random-access-storage',
) as new (
  impl: object,
) => unknown

interface V1Request {
  offset: number
  size: number
  data: Buffer
  callback(err: Error | null, value?: unknown): void
}
interface V1File {
  read(offset: number, size: number, cb: (err: Error | null, data?: Buffer) => void): void
  write(offset: number, data: Buffer, cb: (err: Error | null) => void): void
  del(offset: number, size: number, cb: (err: Error | null) => void): void
  stat(cb: (err: Error | null, st?: unknown) => void): void
}

/** In-memory files that take `ms` to open: hypercore@9 opens its channel only after them. */
function slowToOpen(ms: number): () => unknown {
  return () => {
    const inner = ramV3() as V1File
    return new RandomAccessV1({
      open: (req: V1Request) => setTimeout(() => req.callback(null), ms),
      read: (req: V1Request) => inner.read(req.offset, req.size, (e, d) => req.callback(e, d)),
      write: (req: V1Request) => inner.write(req.offset, req.data, (e) => req.callback(e)),
      del: (req: V1Request) => inner.del(req.offset, req.size, (e) => req.callback(e)),
      stat: (req: V1Request) => inner.stat((e, st) => req.callback(e, st)),
    })
  }
}

const { closers, memoryCore: ours } = closedAfterEach()

/** A replication stream of either side. */
interface Pipeable extends NodeJS.WritableStream {
  pipe<T extends NodeJS.WritableStream>(dest: T): T
  destroy(err?: Error): void
}

function pipePair(s1: Pipeable, s2: Pipeable): void {
  s1.on('error', () => {})
  s2.on('error', () => {})
  s1.pipe(s2).pipe(s1)
  closers.push(() => {
    s1.destroy()
    s2.destroy()
  })
}

/** A promise of the first message `name` delivers, failing after `ms`. */
function firstMessage(
  register: (onmessage: (m: unknown) => void) => void,
  ms = 5000,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no extension message in ${ms} ms`)), ms)
    register((m) => {
      clearTimeout(timer)
      resolve(m)
    })
  })
}

describe('feed extensions with hypercore@9', () => {
  it('ours sends with extension(name, message); a hypercore@9 replica still opening receives', async () => {
    const writer = ours()
    await writer.append('x')
    writer.registerExtension('greet', { encoding: 'utf-8' })
    // Its files take 100 ms to open, so its channel opens well after ours (as a core a
    // corestore opens on demand, when the remote's channel arrives).
    const replica = hypercore9(slowToOpen(100), writer.key, { sparse: true })
    closers.push(() => cb((done) => replica.close(done)))
    const got = firstMessage((onmessage) =>
      replica.registerExtension('greet', { encoding: 'utf-8', onmessage }),
    )
    pipePair(writer.replicate(true, { live: true }), replica.replicate(false, { live: true }))
    await cb<Buffer>((done) => replica.get(0, {}, done))

    writer.extension('greet', 'hello hypercore@9')

    expect(await got).toBe('hello hypercore@9')
  })

  it('hypercore@9 sends; our replica still opening receives', async () => {
    const writer = await openOriginal(ramV3)
    closers.push(() => cb((done) => writer.close(done)))
    await cb<number>((done) => writer.append(Buffer.from('x'), done))
    const ext = writer.registerExtension('greet', { encoding: 'utf-8' })
    const replica = ours(writer.key, { sparse: true })
    const got = firstMessage((onmessage) =>
      replica.registerExtension<string>('greet', { encoding: 'utf-8', onmessage }),
    )
    pipePair(writer.replicate(true, { live: true }), replica.replicate(false, { live: true }))
    await replica.get(0)

    ext.broadcast('hello hyperstack')

    expect(await got).toBe('hello hyperstack')
  })
})
