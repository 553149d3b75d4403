import { describe, expect, it } from 'vitest'
import { ProtocolStream } from '../../src/index.js'
import { OriginalProtocol } from '../helpers/original.js'
import { deferred } from '../helpers/wait.js'

describe('interop smoke: ours ⇄ hypercore-protocol@8', () => {
  it('handshakes ours initiator with original', async () => {
    const a = new ProtocolStream(true)
    const b = new OriginalProtocol(false)
    a.pipe(b as unknown as ProtocolStream).pipe(a)
    const key = Buffer.alloc(32, 7)
    const got = deferred<unknown>()
    b.open(key, { onhave: (m: unknown) => got.resolve(m) })
    const ch = a.open(key, {
      onopen() {
        ch.have({ start: 5, length: 10 })
      },
    })
    expect(await got.promise).toEqual({ start: 5, length: 10, bitfield: null, ack: false })
    expect(a.remotePublicKey?.equals(b.publicKey)).toBe(true)
    a.destroy()
    b.destroy()
  })
  it('handshakes original initiator with ours', async () => {
    const a = new OriginalProtocol(true)
    const b = new ProtocolStream(false)
    a.pipe(b as unknown as ProtocolStream).pipe(a)
    const key = Buffer.alloc(32, 7)
    const got = deferred<unknown>()
    b.open(key, { ondata: (m: unknown) => got.resolve(m) })
    const ch = a.open(key, {
      onopen() {
        ch.data({
          index: 3,
          value: Buffer.from('hi'),
          nodes: [{ index: 1, hash: Buffer.alloc(32, 1), size: 9 }],
        })
      },
    })
    expect(await got.promise).toEqual({
      index: 3,
      value: Buffer.from('hi'),
      nodes: [{ index: 1, hash: Buffer.alloc(32, 1), size: 9 }],
      signature: null,
    })
    a.destroy()
    b.destroy()
  })
})
