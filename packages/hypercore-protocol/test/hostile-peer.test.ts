// A hostile peer writing arbitrary bytes: the stream either carries on or ends with a typed
// ProtocolError; nothing is thrown into the caller or the event loop.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ProtocolError, ProtocolStream, discoveryKey } from '../src/index.js'
import { KEY } from './helpers/messages.js'

/** Writes `chunks` into a fresh stream; resolves with the error it ended with, if any. */
async function feed(chunks: Uint8Array[], opts: ConstructorParameters<typeof ProtocolStream>[1]) {
  const stream = new ProtocolStream(false, { ...opts, live: true, timeout: false })
  let error: unknown = null
  stream.on('error', (err) => {
    error = err
  })
  stream.on('discovery-key', (dk) => {
    // Answer like an application would: open it if it is ours, else refuse.
    if (dk.equals(discoveryKey(KEY))) stream.open(KEY)
    else stream.close(dk)
  })
  stream.open(KEY, { ondata: () => {}, onhave: () => {} })
  stream.resume()
  for (const c of chunks) {
    if (stream.destroyed) break
    stream.write(Buffer.from(c))
  }
  await new Promise((resolve) => setImmediate(resolve))
  stream.destroy()
  return error
}

// Plausible frames (valid lengths and headers, random bodies) find deeper paths than pure noise.
const frame = fc
  .record({
    channel: fc.nat(3),
    type: fc.nat(15),
    body: fc.uint8Array({ maxLength: 40 }),
  })
  .map(({ channel, type, body }) => {
    const header = channel * 16 + type
    return Uint8Array.from([body.byteLength + 1, header, ...body])
  })

describe('hostile peer', () => {
  it('random bytes into an unencrypted stream end it with typed errors only', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.uint8Array({ maxLength: 64 }), frame), { maxLength: 10 }),
        async (chunks) => {
          const err = await feed(chunks, { noise: false, encrypted: false })
          if (err !== null) expect(err).toBeInstanceOf(ProtocolError)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('random bytes instead of a handshake end it with typed errors only', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 4 }),
        async (chunks) => {
          const err = await feed(chunks, {})
          if (err !== null) expect(err).toBeInstanceOf(ProtocolError)
        },
      ),
      { numRuns: 200 },
    )
  })
})
