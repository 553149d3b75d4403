// The Hypercore class on memory and file storage: append, get, has, seek, clear, audit, streams, errors.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Hypercore, type StorageOption, keyPair } from '../src/index.js'
import { memoryStorage, tmpDir } from './helpers.js'

const cleanups: (() => void | Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function open(storage: StorageOption = memoryStorage(), key?: Buffer, opts = {}): Hypercore {
  const core = new Hypercore(storage, key, opts)
  cleanups.push(() => core.close())
  return core
}

describe('Hypercore basics', () => {
  it('generates a key pair, appends and reads back', async () => {
    const core = open()
    await core.ready()
    expect(core.writable).toBe(true)
    expect(core.key?.length).toBe(32)
    expect(core.discoveryKey?.length).toBe(32)
    expect(await core.append(Buffer.from('a'))).toBe(0)
    expect(await core.append([Buffer.from('bc'), Buffer.from('def')])).toBe(1)
    expect(core.length).toBe(3)
    expect(core.byteLength).toBe(6)
    expect(((await core.get(2)) as Buffer).toString()).toBe('def')
    expect(core.has(0)).toBe(true)
    expect(core.has(0, 3)).toBe(true)
    expect(core.has(3)).toBe(false)
    expect(((await core.head()) as Buffer).toString()).toBe('def')
    expect(await core.seek(3)).toEqual([2, 0])
  })

  it('merges appends made while one is in flight into one signature, as hypercore@9', async () => {
    const core = open()
    await core.ready()
    const seqs = await Promise.all([core.append('a'), core.append('b'), core.append('c')])
    expect(seqs).toEqual([0, 1, 2])
    expect((await core.signature(0)).index).toBe(0)
    expect((await core.signature(1)).index).toBe(2)
  })

  it('supports utf-8 and json value encodings, per core and per get', async () => {
    const text = open(memoryStorage(), undefined, { valueEncoding: 'utf-8' })
    await text.append(['hello', 'world'])
    expect(await text.get(1)).toBe('world')
    expect(await text.get(0, { valueEncoding: 'binary' })).toEqual(Buffer.from('hello'))
    const json = open(memoryStorage(), undefined, { valueEncoding: 'json' })
    await json.append({ a: 1 })
    expect(await json.get(0)).toEqual({ a: 1 })
  })

  it('rejects blocks over 8 MiB and appends on read-only cores with typed errors', async () => {
    const core = open()
    await expect(core.append(Buffer.alloc(8388609))).rejects.toMatchObject({
      code: 'ERR_BLOCK_TOO_LARGE',
    })
    expect(core.length).toBe(0)
    const reader = open(memoryStorage(), keyPair().publicKey)
    await expect(reader.append('x')).rejects.toMatchObject({ code: 'ERR_NOT_WRITABLE' })
  })

  it('get with wait:false on a missing block and get with a timeout fail with typed errors', async () => {
    const core = open()
    await core.append('x')
    await expect(core.get(5, { wait: false })).rejects.toMatchObject({
      code: 'ERR_BLOCK_NOT_AVAILABLE',
    })
    await expect(core.get(5, { timeout: 20 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' })
  })

  it('an update or a seek that times out stops waiting: later ones are answered as usual', async () => {
    const writer = open()
    await writer.append(['ab', 'cd'])
    const reader = open(memoryStorage(), writer.key as Buffer, { sparse: true })
    await expect(reader.update({ timeout: 20 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' })
    await expect(reader.seek(1, { timeout: 20 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' })
    const s1 = writer.replicate(true, { live: true })
    const s2 = reader.replicate(false, { live: true })
    s1.pipe(s2).pipe(s1)
    try {
      await reader.update({ timeout: 5000 })
      expect(reader.length).toBe(2)
      expect(await reader.seek(3, { timeout: 5000 })).toEqual([1, 1])
    } finally {
      s1.destroy()
      s2.destroy()
    }
  })

  it('a waiting get resolves when the block is appended', async () => {
    const core = open()
    await core.ready()
    const pending = core.get(1)
    await core.append(['a', 'b'])
    expect(((await pending) as Buffer).toString()).toBe('b')
  })

  it('update waits for the next append and ifAvailable fails without peers', async () => {
    const core = open()
    await core.ready()
    const waiting = core.update()
    await core.append('a')
    await waiting
    expect(core.length).toBe(1)
    await expect(core.update({ ifAvailable: true })).rejects.toMatchObject({
      code: 'ERR_BLOCK_NOT_AVAILABLE',
      message: 'No update available from peers',
    })
    // An expected outcome, made without a stack capture; the limit is back for everyone else.
    const limit = Error.stackTraceLimit
    await core.update({ ifAvailable: true }).catch(() => {})
    expect(Error.stackTraceLimit).toBe(limit)
    await core.update({ minLength: 1 })
  })

  it('clear removes blocks locally; audit finds corrupted data', async () => {
    const storage = memoryStorage()
    const core = open(storage)
    await core.append(['aa', 'bb', 'cc'])
    await core.clear(1)
    expect(core.has(1)).toBe(false)
    expect(core.has(0)).toBe(true)
    expect(core.downloaded()).toBe(2)
    await expect(core.get(1, { wait: false })).rejects.toMatchObject({
      code: 'ERR_BLOCK_NOT_AVAILABLE',
    })
    expect(await core.audit()).toEqual({ valid: 2, invalid: 0 })
  })

  it('reopens from storage with the same key, length and secret key', async () => {
    const storage = memoryStorage()
    const core = new Hypercore(storage)
    await core.append(['x', 'yy'])
    const key = core.key
    await core.close()
    const again = open(storage)
    await again.ready()
    expect(again.key).toEqual(key)
    expect(again.length).toBe(2)
    expect(again.byteLength).toBe(3)
    expect(again.writable).toBe(true)
    await again.append('zzz')
    expect(((await again.get(2)) as Buffer).toString()).toBe('zzz')
  })

  it('refuses another key and a missing core with createIfMissing false', async () => {
    const storage = memoryStorage()
    const core = new Hypercore(storage)
    await core.append('x')
    await core.close()
    const other = new Hypercore(storage, keyPair().publicKey)
    await expect(other.ready()).rejects.toMatchObject({ code: 'ERR_KEY_MISMATCH' })
    const none = new Hypercore(memoryStorage(), { createIfMissing: false })
    await expect(none.ready()).rejects.toMatchObject({ code: 'ERR_NO_CORE' })
  })

  it('accepts an existing key pair and does not store the secret key when told not to', async () => {
    const { dir, cleanup } = tmpDir()
    cleanups.push(cleanup)
    const kp = keyPair()
    const core = open(dir, kp.publicKey, { secretKey: kp.secretKey, storeSecretKey: false })
    await core.append('x')
    expect(core.writable).toBe(true)
    expect(core.key).toEqual(kp.publicKey)
    await core.close()
    expect(fs.existsSync(path.join(dir, 'secret_key'))).toBe(false)
    expect(fs.readFileSync(path.join(dir, 'key'))).toEqual(kp.publicKey)
  })

  it('read stream yields a snapshot, live read stream yields new appends', async () => {
    const core = open()
    await core.append(['a', 'b', 'c'])
    const got: string[] = []
    for await (const b of core.createReadStream({ start: 1 })) got.push((b as Buffer).toString())
    expect(got).toEqual(['b', 'c'])

    const live = core.createReadStream({ live: true, start: 2 })
    const seen: string[] = []
    const done = new Promise<void>((resolve) => {
      live.on('data', (b: unknown) => {
        seen.push(String(b))
        if (seen.length === 3) resolve()
      })
    })
    await core.append('d')
    await core.append('e')
    await done
    live.destroy()
    expect(seen).toEqual(['c', 'd', 'e'])
  })

  it('write stream appends what is written', async () => {
    const core = open()
    const ws = core.createWriteStream()
    const finished = new Promise<void>((resolve, reject) => {
      ws.on('finish', () => resolve())
      ws.on('error', reject)
    })
    for (const s of ['1', '2']) ws.write(Buffer.from(s))
    ws.end(Buffer.from('3'))
    await finished
    expect(core.length).toBe(3)
    expect(((await core.get(2)) as Buffer).toString()).toBe('3')
  })

  it('audit clears the data bit of a corrupted block', async () => {
    const { dir, cleanup } = tmpDir()
    cleanups.push(cleanup)
    const core = new Hypercore(dir)
    await core.append(['aaaa', 'bbbb', 'cccc'])
    await core.close()
    const file = path.join(dir, 'data')
    const bytes = fs.readFileSync(file)
    bytes[5] = 0x78
    fs.writeFileSync(file, bytes)
    const again = open(dir)
    expect(await again.audit()).toEqual({ valid: 2, invalid: 1 })
    expect(again.has(1)).toBe(false)
    expect(again.has(2)).toBe(true)
  })

  it('flush and durable appends sync file storage', async () => {
    const { dir, cleanup } = tmpDir()
    cleanups.push(cleanup)
    const core = open(dir, undefined, { durable: true })
    await core.append('a')
    await core.append('b', { durable: true })
    await core.flush()
    expect(fs.readFileSync(path.join(dir, 'data')).toString()).toBe('ab')
  })

  it('close rejects pending gets and is idempotent', async () => {
    const core = new Hypercore(memoryStorage())
    await core.ready()
    const pending = core.get(3)
    const closed = new Promise<void>((resolve) => core.once('close', () => resolve()))
    await core.close()
    await core.close()
    await closed
    await expect(pending).rejects.toMatchObject({ code: 'ERR_CLOSED' })
    await expect(core.append('x')).rejects.toMatchObject({ code: 'ERR_CLOSED' })
  })

  it('download resolves for present ranges and can be cancelled', async () => {
    const core = open()
    await core.append(['a', 'b'])
    await core.download({ start: 0, end: 2 })
    const pending = core.download({ start: 0, end: 5 })
    pending.cancel()
    await expect(pending).rejects.toMatchObject({ code: 'ERR_CANCELLED' })
  })
})
