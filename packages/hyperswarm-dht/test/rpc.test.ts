// The request layer: the original's retry schedule, timeouts, cancellation, rate limits,
// fast holepunch via a referrer, and replies only accepted from the host asked.
import { afterEach, describe, expect, it } from 'vitest'
import { DHT, decodeMessage, encodeMessage } from '../src/index.js'
import { RawClient } from './helpers/raw-client.js'

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()))
})

async function node(opts = {}): Promise<DHT> {
  const d = new DHT({ host: '127.0.0.1', bootstrap: [], ...opts })
  cleanup.push(() => d.destroy())
  await d.ready()
  return d
}
async function raw(): Promise<RawClient> {
  const c = new RawClient()
  await c.open()
  cleanup.push(() => c.close())
  return c
}
function datagrams(c: RawClient): Buffer[] {
  const got: Buffer[] = []
  c.socket.on('message', (buf) => got.push(buf))
  return got
}

describe('rpc', () => {
  it('sends 3 times (same bytes, same rid) then fails with ETIMEDOUT', async () => {
    const d = await node({ tickInterval: 20 })
    const silent = await raw()
    const got = datagrams(silent)
    const started = Date.now()
    await expect(d.ping({ host: '127.0.0.1', port: silent.port })).rejects.toMatchObject({
      code: 'ETIMEDOUT',
    })
    const ticks = (Date.now() - started) / 20
    expect(got).toHaveLength(3)
    expect(got[1].equals(got[0])).toBe(true)
    expect(got[2].equals(got[0])).toBe(true)
    expect(ticks).toBeGreaterThanOrEqual(8)
    expect(d.stats.retries).toBe(2)
    expect(d.stats.timeouts).toBe(1)
  })

  it('fires a holepunch relay through the referrer after 500 ms of silence', async () => {
    const d = await node({ tickInterval: 2000 })
    const target = await raw()
    const referrer = await raw()
    const relayed = new Promise<Buffer>((resolve) =>
      referrer.socket.once('message', (b) => resolve(b)),
    )
    const q = d.rpc.query('_ping', null, null, {
      host: '127.0.0.1',
      port: target.port,
      referrer: { host: '127.0.0.1', port: referrer.port },
    })
    q.catch(() => {})
    const m = decodeMessage(await relayed)
    expect(m.command).toBe('_holepunch')
    expect(m.value?.toString('hex')).toBe(
      `1a067f000001${target.port.toString(16).padStart(4, '0')}`,
    )
    expect(d.stats.sent.holepunches).toBe(1)
  })

  it('cancels in-flight requests on destroy', async () => {
    const d = new DHT({ host: '127.0.0.1', bootstrap: [] })
    await d.ready()
    const silent = await raw()
    const p = d.ping({ host: '127.0.0.1', port: silent.port })
    await new Promise((r) => setTimeout(r, 10))
    await d.destroy()
    await expect(p).rejects.toMatchObject({ code: 'ECANCELLED' })
    await expect(d.lookup(Buffer.alloc(32)).finished()).rejects.toMatchObject({
      code: 'ERR_DESTROYED',
    })
  })

  it('rate-limits requests per sender address and counts them', async () => {
    const d = await node({ maxRequestsPerSecond: 5 })
    const c = await raw()
    const got = datagrams(c)
    for (let rid = 0; rid < 20; rid++)
      c.send(encodeMessage({ version: 1, type: 1, rid, command: '_ping' }), d.address().port)
    const r = 999
    await c.request(
      encodeMessage({ version: 1, type: 1, rid: r, command: '_ping' }),
      r,
      d.address().port,
      300,
    )
    expect(got.length).toBeLessThanOrEqual(6)
    expect(d.stats.rateLimited).toBeGreaterThanOrEqual(14)
  })

  it('ignores replies from another host than the one asked, and unknown rids', async () => {
    const d = await node({ tickInterval: 20 })
    const asked = await raw()
    const other = new RawClient()
    await new Promise<void>((resolve) => other.socket.bind(0, '127.0.0.2', resolve))
    cleanup.push(() => other.close())
    const seen = new Promise<Buffer>((resolve) => asked.socket.once('message', (b) => resolve(b)))
    const p = d.rpc.query('_ping', null, null, { host: '127.0.0.1', port: asked.port })
    p.catch(() => {})
    const req = decodeMessage(await seen)
    // the right rid from the wrong host (127.0.0.2), then an unknown rid from the right host
    other.send(
      encodeMessage({ version: 1, type: 3, rid: req.rid, to: Buffer.alloc(6) }),
      d.address().port,
    )
    asked.send(
      encodeMessage({ version: 1, type: 3, rid: (req.rid + 1) & 0xffff }),
      d.address().port,
    )
    await expect(p).rejects.toMatchObject({ code: 'ETIMEDOUT' })
    expect(d.stats.unmatched).toBe(2)
  })
})
