// Inputs that crash @hyperswarm/dht@4 (spec B5) and other malformed datagrams: ours answers or
// drops each one, counts the drops, and keeps serving.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DHT, encodeMessage, keyPair, sign } from '../src/index.js'
import { encodeMutable, encodePeersInput } from '../src/messages/values.js'
import { RawClient } from './helpers/raw-client.js'

let node: DHT
let client: RawClient
let rid = 1
beforeEach(async () => {
  node = new DHT({ host: '127.0.0.1', bootstrap: [] })
  await node.ready()
  client = new RawClient()
  await client.open()
})
afterEach(async () => {
  await node.destroy()
  await client.close()
})

const target = Buffer.alloc(32, 9)

function query(command: string, value: Buffer | null, extra: object = {}) {
  const r = rid++
  return client.request(
    encodeMessage({ version: 1, type: 1, rid: r, target, command, value, ...extra }),
    r,
    node.address().port,
  )
}

async function tokenFor(): Promise<Buffer> {
  const reply = await query('_find_node', null)
  if (!reply?.roundtripToken) throw new Error('no token')
  return reply.roundtripToken
}

function update(command: string, value: Buffer | null, token: Buffer, t: Uint8Array = target) {
  const r = rid++
  return client.request(
    encodeMessage({
      version: 1,
      type: 2,
      rid: r,
      target: t,
      command,
      value,
      roundtripToken: token,
    }),
    r,
    node.address().port,
  )
}

async function stillAlive(): Promise<void> {
  const pong = await query('_ping', null)
  expect(pong?.to).toEqual(Buffer.from([127, 0, 0, 1, client.port >> 8, client.port & 255]))
}

describe('hostile input', () => {
  it('answers a peers query without a value (crashes the original)', async () => {
    const reply = await query('peers', null)
    expect(reply?.error).toBe('')
    expect(reply?.value).toEqual(Buffer.alloc(0))
    await stillAlive()
  })

  it('answers a mutable query without a value (crashes the original)', async () => {
    const reply = await query('mutable-store', null)
    expect(reply?.error).toBe('')
    expect(reply?.value).toBeNull()
    await stillAlive()
  })

  it('refuses oversized or malformed mutable updates with ERR_INVALID_INPUT', async () => {
    const token = await tokenFor()
    const kp = keyPair()
    const big = Buffer.alloc(1001, 1)
    const cases = [
      encodeMutable({ value: big, signature: Buffer.alloc(64), seq: 1 }),
      encodeMutable({
        value: Buffer.from('x'),
        signature: Buffer.alloc(64),
        seq: 1,
        salt: Buffer.alloc(65),
      }),
      encodeMutable({ value: Buffer.from('x'), signature: Buffer.alloc(10), seq: 1 }),
    ]
    for (const value of cases) {
      const reply = await update('mutable-store', value, token, kp.publicKey)
      expect(reply?.error).toBe('ERR_INVALID_INPUT')
      expect(reply?.roundtripToken).toBeNull()
    }
    // a 31-byte target is silence, and the node keeps working
    const good = encodeMutable({
      value: Buffer.from('ok'),
      signature: sign(Buffer.from('ok'), kp.secretKey, { seq: 1 }),
      seq: 1,
    })
    expect(await update('mutable-store', good, token, kp.publicKey.subarray(0, 31))).toBeNull()
    expect((await update('mutable-store', good, token, kp.publicKey))?.error).toBe('')
    await stillAlive()
  })

  it('answers an immutable update without a value (crashes the original too, not in the spec)', async () => {
    const token = await tokenFor()
    expect((await update('immutable-store', null, token))?.error).toBe('ERR_INVALID_INPUT')
    expect((await update('immutable-store', Buffer.from('not the preimage'), token))?.error).toBe(
      'ERR_INVALID_INPUT',
    )
    await stillAlive()
  })

  it('drops updates with a bad token, unknown commands get an error reply', async () => {
    const reply = await update('peers', encodePeersInput({ port: 1 }), Buffer.alloc(32))
    expect(reply).toBeNull()
    expect(node.stats.badToken).toBe(1)
    expect((await query('nope', null))?.error).toBe('Unsupported command')
    expect((await query('peers', encodePeersInput({ port: 70000 })))?.error).toBe('Invalid port')
    // undecodable value: silence
    expect(await query('peers', Buffer.from([0x0a, 0x09]))).toBeNull()
    // a ping naming another id: silence
    expect(await query('_ping', Buffer.alloc(32, 1))).toBeNull()
    await stillAlive()
  })

  it('drops and counts undecodable, id-mangled and oversized datagrams', async () => {
    const port = node.address().port
    client.send(Buffer.from('5801', 'hex'), port)
    client.send(
      encodeMessage({ version: 1, type: 1, rid: 7, id: Buffer.alloc(31), command: '_ping' }),
      port,
    )
    client.send(Buffer.alloc(5000, 0x58), port)
    await stillAlive()
    expect(node.stats.malformed).toBe(2)
    expect(node.stats.oversized).toBe(1)
  })

  it('keeps one routing-table entry per sender address, however many ids it claims', async () => {
    for (let i = 1; i <= 5; i++) {
      const r = rid++
      const id = Buffer.alloc(32, i)
      await client.request(
        encodeMessage({ version: 1, type: 1, rid: r, id, command: '_ping' }),
        r,
        node.address().port,
      )
    }
    const nodes = node.getNodes()
    expect(nodes).toHaveLength(1)
    expect(nodes[0].id).toEqual(Buffer.alloc(32, 5))
  })
})
