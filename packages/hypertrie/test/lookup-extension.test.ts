// The lookup extension's responder answers exactly as hypertrie@5 did in the captured exchange,
// and ignores hostile messages.
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Hypertrie } from '../src/index.js'
import { type ExtensionMessage, encodeExtensionMessage } from '../src/messages/extension-message.js'
import { newCore } from './helpers/cores.js'

interface Exchange {
  from: string
  kind: string
  hex: string
}
interface ExtVectors {
  writerLength: number
  getExchange: Exchange[]
  iteratorExchange: Exchange[]
}

const v = JSON.parse(
  readFileSync(`${process.env.HYPERSTACK_SHARED}/spec/vectors/hypertrie-extension.json`, 'utf-8'),
) as ExtVectors

/** Our trie on a core whose extension channel records what it sends. */
async function writer(): Promise<{
  trie: Hypertrie
  sent: string[]
  deliver: (hex: string) => void
}> {
  const feed = newCore()
  const sent: string[] = []
  let onmessage: ((m: Buffer, peer: unknown) => void) | null = null
  const original = feed.registerExtension.bind(feed)
  feed.registerExtension = ((
    name: string,
    handlers: { onmessage?: (m: Buffer, peer: unknown) => void },
  ) => {
    onmessage = handlers.onmessage ?? null
    const ext = original(name, handlers)
    ext.send = (message: unknown) => {
      sent.push(Buffer.from(message as Uint8Array).toString('hex'))
    }
    return ext
  }) as typeof feed.registerExtension
  const trie = new Hypertrie(null, { feed })
  await trie.ready()
  for (let i = 0; i < 40; i++) await trie.put(`dir${i % 4}/file-${i}`, Buffer.from(`v${i}`))
  expect(trie.version).toBe(v.writerLength)
  return { trie, sent, deliver: (hex) => onmessage?.(Buffer.from(hex, 'hex'), {}) }
}

async function settle(sent: string[], n: number): Promise<void> {
  for (let k = 0; k < 200 && sent.length < n; k++) await new Promise<void>((r) => setImmediate(r))
}

describe('lookup extension responder', () => {
  it('answers a get with the same cache message as hypertrie@5', async () => {
    const { trie, sent, deliver } = await writer()
    const [request, answer] = v.getExchange
    deliver(request.hex)
    await settle(sent, 1)
    expect(sent).toEqual([answer.hex])
    await trie.close()
  })

  it('answers an iterator request with the same cache message as hypertrie@5', async () => {
    const { trie, sent, deliver } = await writer()
    const [request, answer] = v.iteratorExchange
    deliver(request.hex)
    await settle(sent, 1)
    expect(sent).toEqual([answer.hex])
    await trie.close()
  })

  it('ignores garbage and keeps answering', async () => {
    const { trie, sent, deliver } = await writer()
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        deliver(Buffer.from(bytes).toString('hex'))
      }),
      { numRuns: 300 },
    )
    await settle(sent, 1000)
    const before = sent.length
    deliver(v.getExchange[0].hex)
    await settle(sent, before + 1)
    expect(sent.slice(before)).toContain(v.getExchange[1].hex)
    await trie.close()
  })

  it('takes well-formed hostile requests (huge heads, bad checkpoints, bogus caches) in stride', async () => {
    const { trie, sent, deliver } = await writer()
    const number = fc.oneof(
      fc.nat(60),
      fc.constantFrom(2 ** 31, 2 ** 32, 2 ** 40, 2 ** 52, Number.MAX_SAFE_INTEGER),
    )
    const message: fc.Arbitrary<Partial<ExtensionMessage>> = fc.oneof(
      fc.record({ head: number, key: fc.string({ maxLength: 12 }) }).map((get) => ({ get })),
      fc
        .record({
          head: number,
          key: fc.string({ maxLength: 6 }),
          flags: fc.nat(255),
          checkpoint: fc.option(
            fc.uint8Array({ maxLength: 24 }).map((b) => Buffer.from(b)),
            { nil: null },
          ),
        })
        .map((iterator) => ({ iterator })),
      fc
        .record({ start: number, end: number, blocks: fc.array(number, { maxLength: 8 }) })
        .map((cache) => ({ cache })),
    )
    const unhandled: unknown[] = []
    const onunhandled = (err: unknown) => unhandled.push(err)
    process.on('unhandledRejection', onunhandled)
    try {
      for (const m of fc.sample(message, 400)) {
        deliver(encodeExtensionMessage(m).toString('hex'))
        await new Promise((resolve) => setImmediate(resolve))
      }
      for (let k = 0; k < 50; k++) await new Promise((resolve) => setImmediate(resolve))
      expect(unhandled).toEqual([])
      const before = sent.length
      deliver(v.getExchange[0].hex)
      await settle(sent, before + 1)
      expect(sent.slice(before)).toContain(v.getExchange[1].hex)
    } finally {
      process.off('unhandledRejection', onunhandled)
      await trie.close()
    }
  })
})
