// When frames leave: the first few flushes of an event-loop turn go out at once (a request made
// right after another is not held back by the rest of the turn), and the frames of later ones
// in the same turn leave together when it ends (one push, not one per frame).
import { describe, expect, it } from 'vitest'
import { ProtocolStream } from '../src/index.js'
import { KEY } from './helpers/messages.js'

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

describe('outbox flushes', () => {
  it('sends the first four microtask flushes of a turn at once and the rest at its end', async () => {
    const stream = new ProtocolStream(true, { noise: false, encrypted: false })
    const channel = stream.open(KEY)
    await nextTurn()
    const pushes: number[] = []
    stream.on('data', (chunk: Uint8Array) => pushes.push(chunk.byteLength))
    await nextTurn()
    pushes.length = 0

    // Ten requests in one turn, each in its own microtask (as replies to separate Data would be).
    const sentBeforeTurnEnd: number[] = []
    await new Promise<void>((resolve) => {
      setImmediate(async () => {
        for (let i = 0; i < 10; i++) {
          channel.request({ index: i })
          await Promise.resolve()
          await Promise.resolve()
        }
        // 'data' events are emitted a microtask or two after a push: let them run.
        for (let i = 0; i < 10; i++) await Promise.resolve()
        sentBeforeTurnEnd.push(pushes.length)
        resolve()
      })
    })
    await nextTurn()
    await nextTurn()
    expect(sentBeforeTurnEnd).toEqual([4])
    // The six later requests left as one chunk at the end of the turn.
    expect(pushes).toHaveLength(5)
    expect(pushes[4]).toBe(6 * pushes[0])
    stream.destroy()
  })
})
