// Corestore replication between two of our stores: many cores over one stream, cores opened
// later, and cores the remote asks for that are only on disk.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import RandomAccessMemory from 'random-access-memory'
import { afterEach, describe, expect, it } from 'vitest'
import { keyPairFromSeed } from '../src/corestore-keys.js'
import { coreStorageRoot } from '../src/corestore-layout.js'
import { Corestore } from '../src/corestore.js'

const stores: Corestore[] = []
async function newStore(
  storage: string | ReturnType<typeof RandomAccessMemory.reusable> = RandomAccessMemory.reusable(),
) {
  const store = new Corestore(storage)
  stores.push(store)
  await store.ready()
  return store
}
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()))
})

function connect(a: Corestore, b: Corestore, live = true) {
  const left = a.replicate(true, { live })
  const right = b.replicate(false, { live })
  left.pipe(right).pipe(left)
  // When one store closes, the pipe tears down the other side with a premature-close error.
  for (const stream of [left, right]) stream.on('error', (err) => streamErrors.push(err))
  return { left, right }
}

const streamErrors: Error[] = []
afterEach(() => {
  const unexpected = streamErrors
    .splice(0)
    .filter((e) => (e as { code?: string }).code !== 'PREMATURE_CLOSE')
  expect(unexpected).toEqual([])
})

const text = (b: unknown) => (b instanceof Uint8Array ? Buffer.from(b).toString() : null)

describe('Corestore replication', () => {
  it('carries several cores over one stream, including cores opened after connecting', async () => {
    const writerStore = await newStore()
    const readerStore = await newStore()
    const cores = [writerStore.default(), writerStore.namespace('a').default(), writerStore.get()]
    for (const [i, core] of cores.entries())
      await core.append([Buffer.from(`${i}-0`), Buffer.from(`${i}-1`)])

    const first = readerStore.get({ key: cores[0].key ?? undefined })
    await first.ready()
    const { left, right } = connect(writerStore, readerStore)
    expect(text(await first.get(1))).toBe('0-1')

    // Opened after the stream exists: joins it and the writer's side opens the channel.
    const later = readerStore.get({ key: cores[2].key ?? undefined })
    expect(text(await later.get(0))).toBe('2-0')
    const viaNamespace = readerStore.namespace('r').get({ key: cores[1].key ?? undefined })
    expect(text(await viaNamespace.get(1))).toBe('1-1')
    expect(later.writable).toBe(false)

    // Live: a new append reaches the reader over the same stream.
    await cores[0].append(Buffer.from('0-2'))
    expect(text(await first.get(2))).toBe('0-2')
    expect(left.channelCount).toBe(3)
    expect(right.channelCount).toBe(3)
    left.destroy()
  })

  it('opens a stored core on demand when the remote asks for its discovery key', async () => {
    const storage = RandomAccessMemory.reusable()
    const pair = keyPairFromSeed(Buffer.alloc(32, 21))
    const original = await newStore(storage)
    const named = original.get({ name: 'stored' })
    await named.append(Buffer.from('from disk'))
    const withPair = original.get({ keyPair: pair })
    await withPair.append(Buffer.from('pair'))
    const key = named.key
    await original.close()

    // Reopened: nothing is loaded until the remote asks.
    const writerStore = await newStore(storage)
    const readerStore = await newStore()
    connect(writerStore, readerStore)
    const reader = readerStore.get({ key: key ?? undefined })
    expect(text(await reader.get(0))).toBe('from disk')
    const pairReader = readerStore.get({ key: pair.publicKey })
    expect(text(await pairReader.get(0))).toBe('pair')
    expect(writerStore.isLoaded({ key: key ?? undefined })).toBe(true)
    // Passive cores opened for a peer are referenced by no store.
    expect(writerStore.isExternal({ key: key ?? undefined })).toBe(false)
    expect(writerStore.list().size).toBe(0)
  })

  it('refuses channels for cores it does not store, without opening anything', async () => {
    const writerStore = await newStore()
    const readerStore = await newStore()
    const { left, right } = connect(writerStore, readerStore)
    const missing = keyPairFromSeed(Buffer.alloc(32, 22)).publicKey
    const closed = new Promise<Buffer>((resolve) =>
      right.once('channel-close', (discoveryKey) => resolve(discoveryKey)),
    )
    const reader = readerStore.get({ key: missing })
    await reader.ready()
    expect((await closed).equals(reader.discoveryKey ?? Buffer.alloc(0))).toBe(true)
    expect(writerStore.isLoaded({ key: missing })).toBe(false)
    expect(left.destroyed).toBe(false)
  })

  it('a namespace replicates only the cores it opened', async () => {
    const writerStore = await newStore()
    const readerStore = await newStore()
    const inNamespace = writerStore.namespace('ns').default()
    const outside = writerStore.default()
    await inNamespace.append(Buffer.from('ns'))
    await outside.append(Buffer.from('root'))
    const nsReader = readerStore.get({ key: inNamespace.key ?? undefined })
    await nsReader.ready()
    const stream = writerStore.namespace('ns').replicate(true, { live: true })
    const remote = readerStore.replicate(false, { live: true })
    stream.pipe(remote).pipe(stream)
    for (const s of [stream, remote]) s.on('error', (err) => streamErrors.push(err))
    expect(text(await nsReader.get(0))).toBe('ns')
    expect(stream.opened(inNamespace.key ?? Buffer.alloc(32))).toBe(true)
  })

  it('close() destroys its replication streams', async () => {
    const writerStore = await newStore()
    const readerStore = await newStore()
    const core = writerStore.default()
    await core.append(Buffer.from('x'))
    const { left } = connect(writerStore, readerStore)
    const reader = readerStore.get({ key: core.key ?? undefined })
    expect(text(await reader.get(0))).toBe('x')
    const closed = new Promise<boolean>((resolve) => left.once('close', () => resolve(true)))
    await writerStore.close()
    expect(await closed).toBe(true)
    expect(core.closed).toBe(true)
  })

  it('hostile asks touch nothing on disk: unknown keys create no folder, a bad name file is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corestore-hostile-'))
    try {
      const setup = new Corestore(dir)
      await setup.ready()
      const victim = setup.get({ name: 'victim' })
      await victim.append(Buffer.from('secret'))
      const victimKey = victim.key ?? Buffer.alloc(32)
      await setup.close()
      // Someone rewrote the name file: it now derives another key pair, so the folder is refused.
      const root = join(dir, coreStorageRoot(victim.discoveryKey ?? Buffer.alloc(32)))
      writeFileSync(join(root, 'name'), Buffer.from('07616e6f74686572', 'hex'))
      const before = readdirSync(dir).sort()

      const writerStore = await newStore(dir)
      const readerStore = await newStore()
      const { right } = connect(writerStore, readerStore)
      const unknown = keyPairFromSeed(Buffer.alloc(32, 23)).publicKey
      const refused = new Set<string>()
      const bothRefused = new Promise<void>((resolve) =>
        right.on('channel-close', (discoveryKey) => {
          refused.add(discoveryKey.toString('hex'))
          if (refused.size === 2) resolve()
        }),
      )
      const a = readerStore.get({ key: unknown })
      const b = readerStore.get({ key: victimKey })
      await Promise.all([a.ready(), b.ready()])
      await bothRefused
      expect(refused.has(a.discoveryKey?.toString('hex') ?? '')).toBe(true)
      expect(refused.has(b.discoveryKey?.toString('hex') ?? '')).toBe(true)
      expect(readdirSync(dir).sort()).toEqual(before)
      expect(existsSync(join(dir, coreStorageRoot(a.discoveryKey ?? Buffer.alloc(32))))).toBe(false)
      expect(writerStore.isLoaded({ key: victimKey })).toBe(false)
    } finally {
      await Promise.all(stores.splice(0).map((s) => s.close()))
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('a core closed and opened again, on either side, replicates again over the same stream', async () => {
    const seederStore = await newStore()
    const readerStore = await newStore()
    const seeded = seederStore.default()
    await seeded.append(['a', 'b', 'c', 'd'].map((s) => Buffer.from(s)))
    connect(seederStore, readerStore)
    const key = seeded.key as Buffer

    let reader = readerStore.get({ key, sparse: true })
    expect(String(await reader.get(0, { timeout: 2000 }))).toBe('a')
    // the reader closes its core (its channel closes) and opens it again
    await reader.close()
    reader = readerStore.get({ key, sparse: true })
    expect(String(await reader.get(1, { timeout: 2000 }))).toBe('b')
    // the seeder does the same
    await seeded.close()
    await seederStore.default().ready()
    expect(String(await reader.get(2, { timeout: 2000 }))).toBe('c')
  })
})
