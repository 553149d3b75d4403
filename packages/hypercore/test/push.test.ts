import RAM from 'random-access-memory'
// Pushing blocks a peer did not ask for: only to cores opened with allowPush, verified before stored,
// and delivered before the extension message that follows them.
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  type ExtensionPeer,
  Hypercore,
  type HypercoreOptions,
  type RandomAccessStorage,
} from '../src/index.js'
import { memoryStorage } from './helpers.js'

const closers: (() => unknown)[] = []
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c()
})

function core(key?: Buffer | null, opts: HypercoreOptions = {}): Hypercore {
  const c = new Hypercore(memoryStorage(), key ?? undefined, opts)
  closers.push(() => c.close())
  return c
}

/** Replicates a <-> b live; returns a's stream (what a sends). */
function pair(a: Hypercore, b: Hypercore) {
  const s1 = a.replicate(true, { live: true })
  const s2 = b.replicate(false, { live: true })
  s1.pipe(s2).pipe(s1)
  closers.push(() => {
    s1.destroy()
    s2.destroy()
  })
  return s1
}

/** A writer answering 'ask' by pushing the named blocks, then replying with what it pushed. */
async function pushingWriter(count: number) {
  const writer = core()
  const blocks: string[] = []
  for (let i = 0; i < count; i++) blocks.push(`block ${i}`)
  await writer.append(blocks)
  const uploads: number[] = []
  writer.on('upload', (index: number) => uploads.push(index))
  const ext = writer.registerExtension<number[]>('ask', {
    encoding: 'json',
    onmessage: async (wanted, peer) => {
      const sent: boolean[] = []
      for (const i of wanted) sent.push(await writer.push(peer, i))
      ext.send(
        sent.map((s) => (s ? 1 : 0)),
        peer,
      )
    },
  })
  return { writer, uploads }
}

/** Asks the writer for `wanted` and resolves with its reply and which blocks were local then. */
function ask(reader: Hypercore, wanted: number[]) {
  return new Promise<{ sent: number[]; localAtReply: boolean[] }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no reply within 5 s')), 5000)
    const ext = reader.registerExtension<number[]>('ask', {
      encoding: 'json',
      onmessage: (sent) => {
        clearTimeout(timer)
        resolve({ sent, localAtReply: wanted.map((i) => reader.has(i)) })
      },
    })
    reader.once('peer-open', () => ext.broadcast(wanted))
  })
}

/**
 * A 64-block writer and a sparse reader taking pushes, connected and open; `sent` records the
 * Data frames the writer's peer sends (proof nodes, signed or not), `chunks` its stream's writes.
 */
async function pushPair(writerStorage?: (name: string) => RandomAccessStorage) {
  const writer = writerStorage ? new Hypercore(writerStorage) : core()
  if (writerStorage) closers.push(() => writer.close())
  const blocks: string[] = []
  for (let i = 0; i < 64; i++) blocks.push(`block ${i}`)
  await writer.append(blocks)
  writer.registerExtension('ask', {})
  const reader = core(writer.key, { sparse: true, allowPush: true })
  await reader.ready()
  reader.registerExtension('ask', {})
  const opened = new Promise<void>((resolve) => reader.once('peer-open', () => resolve()))
  const s1 = pair(writer, reader)
  await opened
  await new Promise<void>((resolve) => setImmediate(resolve))
  const peer = writer.peers[0] as unknown as ExtensionPeer & {
    channel: { data(d: { nodes: unknown[]; signature: Buffer | null }): void }
  }
  const sent: { nodes: number; signed: boolean }[] = []
  const data = peer.channel.data.bind(peer.channel)
  peer.channel.data = (d) => {
    sent.push({ nodes: d.nodes.length, signed: d.signature !== null })
    data(d)
  }
  const chunks: number[] = []
  s1.on('data', (chunk: Buffer) => chunks.push(chunk.length))
  return { writer, reader, peer, sent, chunks }
}

/**
 * A 16-block writer pushes blocks 1 and 2, sends a 'note' extension message, then pushes 3 and 4;
 * all of it reaches the sparse reader as ONE chunk, so the note arrives with Data queued both
 * before and after it. `onnote` is the reader's handler; `setup` runs before connecting.
 */
async function pushesAroundANote(
  onnote: (reader: Hypercore) => void,
  setup: (reader: Hypercore) => void = () => {},
) {
  const writer = core()
  const blocks: string[] = []
  for (let i = 0; i < 16; i++) blocks.push(`block ${i}`)
  await writer.append(blocks)
  const note = writer.registerExtension('note', {})
  const reader = core(writer.key, { sparse: true, allowPush: true })
  await reader.ready()
  reader.registerExtension('note', { onmessage: () => onnote(reader) })
  setup(reader)
  const removed = new Promise<void>((resolve) => reader.once('peer-remove', () => resolve()))
  const s1 = writer.replicate(true, { live: true })
  const s2 = reader.replicate(false, { live: true })
  closers.push(() => {
    s1.destroy()
    s2.destroy()
  })
  s2.pipe(s1)
  // What the writer sends is held back while `holding`, then delivered as one chunk.
  let holding = false
  const held: Buffer[] = []
  s1.on('data', (chunk: Buffer) => {
    if (holding) held.push(chunk)
    else s2.write(chunk)
  })
  const opened = new Promise<void>((resolve) => reader.once('peer-open', () => resolve()))
  await opened
  await new Promise<void>((resolve) => setImmediate(resolve))
  const peer: ExtensionPeer = writer.peers[0]
  holding = true
  expect(await writer.pushBatch(peer, [1, 2])).toEqual([true, true])
  note.send(Buffer.from('after 1 and 2'), peer)
  expect(await writer.pushBatch(peer, [3, 4])).toEqual([true, true])
  await new Promise<void>((resolve) => setImmediate(resolve))
  holding = false
  expect(held.length).toBeGreaterThan(0)
  s2.write(Buffer.concat(held))
  return { writer, reader, removed }
}

/** Resolves once `reader` stores `count` blocks. */
function downloaded(reader: Hypercore, count: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const check = () => (reader.downloaded() === count ? resolve() : setTimeout(check, 10))
    check()
  })
}

describe('push', () => {
  it('a reader with allowPush stores pushed blocks before the reply after them arrives', async () => {
    const { writer, uploads } = await pushingWriter(50)
    const reader = core(writer.key, { sparse: true, allowPush: true })
    await reader.ready()
    const reply = ask(reader, [3, 17, 42])
    pair(writer, reader)
    const { sent, localAtReply } = await reply
    expect(sent).toEqual([1, 1, 1])
    expect(localAtReply).toEqual([true, true, true])
    expect(uploads.sort((a, b) => a - b)).toEqual([3, 17, 42])
    expect(((await reader.get(17, { wait: false })) as Buffer).toString()).toBe('block 17')
    expect(reader.has(4)).toBe(false)
    expect(reader.downloaded()).toBe(3)
  })

  it('is refused for readers that did not announce allowPush (hypercore@9 default)', async () => {
    const { writer, uploads } = await pushingWriter(10)
    const reader = core(writer.key, { sparse: true })
    await reader.ready()
    const reply = ask(reader, [1, 2])
    pair(writer, reader)
    const { sent, localAtReply } = await reply
    expect(sent).toEqual([0, 0])
    expect(localAtReply).toEqual([false, false])
    expect(uploads).toEqual([])
  })

  it('does not push blocks the writer lacks or the reader has, nor bad indexes', async () => {
    const { writer } = await pushingWriter(5)
    const reader = core(writer.key, { sparse: true, allowPush: true })
    await reader.ready()
    const first = ask(reader, [0])
    pair(writer, reader)
    expect((await first).sent).toEqual([1])
    const peer: ExtensionPeer = writer.peers[0]
    expect(await writer.push(peer, 0)).toBe(false)
    expect(await writer.push(peer, 99)).toBe(false)
    expect(await writer.push(peer, -1)).toBe(false)
    expect(await writer.push(peer, 1.5)).toBe(false)
  })

  it('a pushed block that does not verify ends the channel and is not stored', async () => {
    const writer = core()
    await writer.append(['a', 'b', 'c'])
    const reader = core(writer.key, { sparse: true, allowPush: true })
    await reader.ready()
    const errors: Error[] = []
    reader.on('peer-error', (err: Error) => errors.push(err))
    const removed = new Promise<void>((resolve) => reader.once('peer-remove', () => resolve()))
    writer.registerExtension('ask', {})
    pair(writer, reader)
    await new Promise<void>((resolve) => reader.once('peer-open', () => resolve()))
    await new Promise<void>((resolve) => setImmediate(resolve))
    // Tamper with what the writer reads for block 1 so the pushed value no longer matches its hash.
    const getBuffer = writer.getBuffer.bind(writer)
    writer.getBuffer = async (i: number) => (i === 1 ? Buffer.from('forged') : getBuffer(i))
    const peer: ExtensionPeer = writer.peers[0]
    expect(await writer.push(peer, 1)).toBe(true)
    await removed
    expect(errors[0]).toMatchObject({ code: expect.stringMatching(/^ERR_/) })
    expect(reader.has(1)).toBe(false)
  })

  it('later pushes to the same reader carry only what it lacks (no repeated uncles or signature)', async () => {
    const { writer, reader, peer, sent } = await pushPair()
    for (let i = 20; i < 30; i++) expect(await writer.push(peer, i)).toBe(true)
    await downloaded(reader, 10)
    expect(sent[0].signed).toBe(true)
    expect(sent.slice(1).every((s) => !s.signed)).toBe(true)
    expect(sent.slice(1).every((s) => s.nodes <= 3)).toBe(true)
    expect(sent[0].nodes).toBeGreaterThan(3)
    for (let i = 20; i < 30; i++)
      expect(((await reader.get(i, { wait: false })) as Buffer).toString()).toBe(`block ${i}`)
  })

  it('pushBatch sends every frame in one write, with the same economy of proofs, and reports each', async () => {
    const { writer, reader, peer, sent, chunks } = await pushPair()
    const order: string[] = []
    reader.on('verified', (index: number, value: Buffer) => {
      order.push(`verified ${index}`)
      expect(value.toString()).toBe(`block ${index}`)
      expect(reader.has(index)).toBe(false) // authentic, not stored yet
    })
    reader.on('download', (index: number) => order.push(`download ${index}`))

    const wanted = [40, 41, 42, 43, 44, 99, 41]
    const result = await writer.pushBatch(peer, wanted)
    // 99 is past the end; the second 41 was already pushed by the time its turn came.
    expect(result).toEqual([true, true, true, true, true, false, false])
    expect(sent[0].signed).toBe(true)
    expect(sent.slice(1).every((s) => !s.signed && s.nodes <= 3)).toBe(true)
    await downloaded(reader, 5)
    expect(chunks).toHaveLength(1)
    for (const i of [40, 41, 42, 43, 44]) {
      expect(((await reader.get(i, { wait: false })) as Buffer).toString()).toBe(`block ${i}`)
      expect(order.indexOf(`verified ${i}`)).toBeLessThan(order.indexOf(`download ${i}`))
    }
  })

  it('pushBatch stops at a block it cannot read: the blocks after it lean on its proof', async () => {
    // Reads of the data file's bytes of block 42 fail while `failing` is set.
    let failing = false
    const block42 = 10 * 'block 0'.length + 32 * 'block 10'.length
    class FlakyData extends RAM {
      override read(
        offset: number,
        size: number,
        cb: (err: Error | null, value?: Buffer) => void,
      ): void {
        if (failing && offset <= block42 && block42 < offset + size) {
          queueMicrotask(() => cb(new Error('the disk failed a read')))
          return
        }
        super.read(offset, size, cb)
      }
    }
    const storage = (name: string): RandomAccessStorage =>
      name === 'data' ? new FlakyData() : new RAM()
    const { writer, reader, peer } = await pushPair(storage)
    const errors: Error[] = []
    reader.on('peer-error', (err: Error) => errors.push(err))
    failing = true
    expect(await writer.pushBatch(peer, [40, 41, 42, 43, 44])).toEqual([
      true,
      true,
      false,
      false,
      false,
    ])
    await downloaded(reader, 2)
    failing = false
    expect(await writer.pushBatch(peer, [42, 43, 44])).toEqual([true, true, true])
    await downloaded(reader, 5)
    for (const i of [40, 41, 42, 43, 44]) {
      expect(((await reader.get(i, { wait: false })) as Buffer).toString()).toBe(`block ${i}`)
    }
    expect(errors).toEqual([])
    expect(reader.peers).toHaveLength(1)
  })

  it('an extension message sees the blocks pushed before it stored, with more Data right behind it', async () => {
    let seenInHandler: boolean[] | null = null
    const { reader } = await pushesAroundANote((r) => {
      seenInHandler = [1, 2].map((i) => r.has(i))
    })
    await downloaded(reader, 4)
    await vi.waitFor(() => expect(seenInHandler).not.toBeNull())
    expect(seenInHandler).toEqual([true, true])
  })

  it('a held extension handler that throws ends that peer with its error', async () => {
    const errors: Error[] = []
    const { reader, removed } = await pushesAroundANote(
      () => {
        throw new Error('the handler broke')
      },
      (r) => r.on('peer-error', (err: Error) => errors.push(err)),
    )
    await removed
    expect(errors.map((e) => e.message)).toEqual(['the handler broke'])
    expect(reader.peers).toHaveLength(0)
  })

  it('pushBatch to a peer that refuses pushes sends nothing', async () => {
    const { writer, uploads } = await pushingWriter(10)
    const reader = core(writer.key, { sparse: true })
    await reader.ready()
    const first = ask(reader, [1])
    pair(writer, reader)
    expect((await first).sent).toEqual([0])
    const peer: ExtensionPeer = writer.peers[0]
    expect(await writer.pushBatch(peer, [2, 3])).toEqual([false, false])
    expect(uploads).toEqual([])
  })

  it('a block answered to a request is not pushed to that reader again', async () => {
    const { writer, reader, peer } = await pushPair()
    const uploads: number[] = []
    writer.on('upload', (index: number) => uploads.push(index))
    expect(((await reader.get(5)) as Buffer).toString()).toBe('block 5')
    // The reader stored it without announcing it back to the peer it came from.
    expect(await writer.pushBatch(peer, [5, 6])).toEqual([false, true])
    expect(await writer.push(peer, 5)).toBe(false)
    await downloaded(reader, 2)
    expect(uploads).toEqual([5, 6])
  })

  it('a get while a pushed block waits to be stored takes that block, not a request', async () => {
    const writer = core()
    await writer.append(Array.from({ length: 32 }, (_, i) => `block ${i}`))
    // The reader's data writes wait for `open`, so the pushed block stays verified but unstored.
    let open!: () => void
    const gate = new Promise<void>((resolve) => {
      open = resolve
    })
    const storage = (name: string): RandomAccessStorage => {
      const file = new RAM()
      if (name !== 'data') return file
      const write = file.write.bind(file)
      file.write = (...args: Parameters<RAM['write']>) => {
        gate.then(() => write(...args))
      }
      return file
    }
    const reader = new Hypercore(storage, writer.key, { sparse: true, allowPush: true })
    closers.push(() => reader.close())
    await reader.ready()
    const opened = new Promise<void>((resolve) => reader.once('peer-open', () => resolve()))
    pair(writer, reader)
    await opened
    await new Promise<void>((resolve) => setImmediate(resolve))
    const uploads: number[] = []
    writer.on('upload', (index: number) => uploads.push(index))
    const verified = new Promise<void>((resolve) => reader.once('verified', () => resolve()))
    expect(await writer.pushBatch(writer.peers[0], [7])).toEqual([true])
    await verified
    const got = reader.get(7)
    // Time for a request and its answer to cross (they would, were the block not reserved).
    await new Promise<void>((resolve) => setTimeout(resolve, 50))
    open()
    expect(((await got) as Buffer).toString()).toBe('block 7')
    expect(uploads).toEqual([7])
  })
})
