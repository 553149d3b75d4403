// A holepunch relayed by a node of the other implementation, in both directions.
import { afterEach, describe, expect, it } from 'vitest'
import { DHT, type PeerAddress } from '../../src/index.js'
import { type OriginalDHT, call, startOriginal, stopOriginal } from './originals.js'

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()))
})

async function ours(bootstrap: string[]): Promise<DHT> {
  const d = new DHT({ host: '127.0.0.1', bootstrap })
  cleanup.push(() => d.destroy())
  await d.ready()
  return d
}
async function theirs(bootstrap: string[]): Promise<OriginalDHT> {
  const d = await startOriginal(bootstrap)
  cleanup.push(() => stopOriginal(d))
  return d
}
const at = (port: number): PeerAddress => ({ host: '127.0.0.1', port })

describe('holepunch across implementations', () => {
  it('ours punches to ours through an original referrer', async () => {
    const relay = await theirs([])
    const list = [`127.0.0.1:${relay.address().port}`]
    const a = await ours(list)
    const x = await ours(list)
    const seen = new Promise<[PeerAddress, PeerAddress]>((resolve) =>
      relay.once('holepunch', (from: PeerAddress, to: PeerAddress) => resolve([from, to])),
    )
    await a.holepunch({ ...at(x.address().port), referrer: at(relay.address().port) })
    expect(await seen).toEqual([at(a.address().port), at(x.address().port)])
  })

  it('an original punches to an original through our referrer', async () => {
    const relay = await ours([])
    await relay.listen()
    const list = [`127.0.0.1:${relay.address().port}`]
    const a = await theirs(list)
    const x = await theirs(list)
    const seen = new Promise<[PeerAddress, PeerAddress]>((resolve) =>
      relay.once('holepunch', (from: PeerAddress, to: PeerAddress) => resolve([from, to])),
    )
    await call((cb) =>
      a.holepunch({ ...at(x.address().port), referrer: at(relay.address().port) }, cb),
    )
    expect(await seen).toEqual([at(a.address().port), at(x.address().port)])
  })

  it('ours punches to an original, and an original to ours', async () => {
    const relay = await theirs([])
    const list = [`127.0.0.1:${relay.address().port}`]
    const mine = await ours(list)
    const other = await theirs(list)
    await mine.holepunch({ ...at(other.address().port), referrer: at(relay.address().port) })
    const ourRelay = await ours(list)
    await call((cb) =>
      other.holepunch({ ...at(mine.address().port), referrer: at(ourRelay.address().port) }, cb),
    )
    expect(mine.stats.sent.holepunches).toBeGreaterThanOrEqual(1)
    expect(ourRelay.stats.sent.holepunches).toBe(1)
  })
})
