// A hostile peer's announcements cost in proportion to what it sent: Haves and Unhaves of 2^40
// blocks are runs, not 2^27 pages (each used to hold the event loop for seconds and take about
// 1 GB), and bitfields that would make us store more pages than the budget end its channel.
import type { Channel, ProtocolStream } from '@hyperstack/hypercore-protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { encodeRle } from '../src/bitfield-rle.js'
import { Hypercore } from '../src/index.js'
import { MAX_REMOTE_INDEX, MAX_REMOTE_PAGES } from '../src/remote-bitfield.js'
import { memoryStorage, rawPeer, replicateLive, varintBytes } from './helpers.js'

const closers: (() => unknown)[] = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

async function cores(): Promise<{ writer: Hypercore; reader: Hypercore }> {
  const writer = new Hypercore(memoryStorage())
  await writer.append(['a', 'b', 'c', 'd'].map((s) => Buffer.from(s)))
  const reader = new Hypercore(memoryStorage(), writer.key, { sparse: true })
  await reader.ready()
  closers.push(
    () => writer.close(),
    () => reader.close(),
  )
  return { writer, reader }
}

/** A raw peer on the reader's replication stream; `announce` runs once both opened the channel. */
function hostilePeer(reader: Hypercore, announce: (channel: Channel) => void): ProtocolStream {
  const { stream, end } = rawPeer(reader)
  closers.push(end)
  const channel: Channel = stream.open(reader.key as Buffer, { onopen: () => announce(channel) })
  return stream
}

const announced = (reader: Hypercore) =>
  new Promise<void>((resolve) => reader.on('remote-update', () => resolve()))

describe('hostile announcements', () => {
  it('takes Haves and Unhaves of 2^40 blocks in stride, then replicates honestly', async () => {
    const { writer, reader } = await cores()
    let updates = 0
    reader.on('remote-update', () => updates++)
    const evil = hostilePeer(reader, (channel) => {
      for (let k = 0; k < 20; k++) {
        channel.have({ start: 0, length: MAX_REMOTE_INDEX - 1 })
        channel.unhave({ start: 1, length: MAX_REMOTE_INDEX - 3 })
      }
      // a 6-byte bitfield naming 2^39 blocks, all there
      channel.have({ start: 0, length: 0, bitfield: varintBytes(4 * 2 ** 36 + 3) })
    })
    await announced(reader)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(updates).toBe(21)
    const [peer] = reader.peers
    // (Unhaves leave the length a peer claimed, as hypercore@9's do)
    expect(peer.remoteLength).toBe(MAX_REMOTE_INDEX - 1)
    expect(peer.remoteBitfield.storedPages).toBeLessThanOrEqual(2)
    evil.destroy()

    closers.push(replicateLive(writer, reader))
    expect((await reader.get(2)) as Buffer).toEqual(Buffer.from('c'))
  })

  it('ends the channel of a peer whose bitfields would take more pages than the budget', async () => {
    const { reader } = await cores()
    const failed = new Promise<Error>((resolve) => reader.once('peer-error', resolve))
    hostilePeer(reader, (channel) => {
      // one set bit per 8192 blocks: 4 bytes on the wire for each 1 KiB page it would take
      const spread = new Uint8Array((MAX_REMOTE_PAGES + 10) * 1024)
      for (let at = 0; at < spread.length; at += 1024) spread[at] = 128
      channel.have({ start: 0, length: 0, bitfield: encodeRle(spread) })
    })
    expect(await failed).toMatchObject({ code: 'ERR_INVALID_MESSAGE' })
    expect(reader.peers.length).toBe(0)
  })
})
