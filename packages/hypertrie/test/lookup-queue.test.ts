// The requester's queue of lookup requests: at most 32 unanswered at once (a peer drops the rest),
// the next one sent as each answer arrives or times out, and all of them at once when peers stop
// answering.
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  ANSWER_TIMEOUT_MS,
  FIRST_ANSWER_TIMEOUT_MS,
  LookupExtension,
} from '../src/lookup-extension.js'
import { encodeExtensionMessage } from '../src/messages/extension-message.js'
import { newCore } from './helpers/cores.js'

afterEach(() => {
  vi.useRealTimers()
})

/** A requester on a real core whose extension channel records its broadcasts. */
function requester(): {
  ext: LookupExtension
  broadcasts: Buffer[]
  answer: () => void
} {
  const feed = newCore()
  const broadcasts: Buffer[] = []
  let onmessage: (message: Buffer, peer: unknown) => void = () => {}
  const register = feed.registerExtension.bind(feed)
  feed.registerExtension = ((
    name: string,
    handlers: { onmessage: (message: Buffer, peer: unknown) => void },
  ) => {
    onmessage = handlers.onmessage
    const channel = register(name, handlers)
    channel.broadcast = (message: Buffer) => {
      broadcasts.push(message)
    }
    return channel
  }) as typeof feed.registerExtension
  const ext = new LookupExtension({
    feed,
    answerGet: async () => {},
    answerIterator: async () => {},
    emit: () => false,
    cacheBlock: () => {},
  })
  const cache = encodeExtensionMessage({ cache: { blocks: [1], start: 1, end: 2 } })
  return { ext, broadcasts, answer: () => onmessage(cache, {}) }
}

describe('lookup request queue', () => {
  it('sends 32 at once and one more per answer', () => {
    const { ext, broadcasts, answer } = requester()
    const sends = Array.from({ length: 40 }, (_, i) => ext.sendGet(1, `key${i}`))
    expect(broadcasts).toHaveLength(32)
    expect(sends.filter((s) => s !== null)).toHaveLength(8)
    answer()
    answer()
    expect(broadcasts).toHaveLength(34)
    expect(ext.stats.sentGets).toBe(34)
    ext.destroy()
  })

  it('frees the place of a request that is never answered after its timeout', () => {
    vi.useFakeTimers()
    const { ext, broadcasts, answer } = requester()
    answer() // peers are known to answer: waits would last ANSWER_TIMEOUT_MS
    for (let i = 0; i < 33; i++) ext.sendGet(1, `key${i}`)
    expect(broadcasts).toHaveLength(32)
    vi.advanceTimersByTime(ANSWER_TIMEOUT_MS)
    expect(broadcasts).toHaveLength(33)
    ext.destroy()
  })

  it('lets every queued request go once peers stop answering', async () => {
    vi.useFakeTimers()
    const { ext, broadcasts } = requester()
    const sends = Array.from({ length: 40 }, (_, i) => ext.sendGet(1, `key${i}`))
    // A lookup waits for an answer that does not come.
    const waiting = ext.answerWith(5)
    vi.advanceTimersByTime(FIRST_ANSWER_TIMEOUT_MS)
    await waiting
    expect(ext.peersAnswer).toBe(false)
    // The queued lookups go on now, not once their predecessors' places time out.
    expect(broadcasts).toHaveLength(40)
    await Promise.all(sends)
    ext.destroy()
  })

  it('releases queued lookups when it is destroyed, sending nothing more', async () => {
    const { ext, broadcasts } = requester()
    const sends = Array.from({ length: 40 }, (_, i) => ext.sendGet(1, `key${i}`))
    ext.destroy()
    await Promise.all(sends)
    expect(broadcasts).toHaveLength(32)
  })
})
