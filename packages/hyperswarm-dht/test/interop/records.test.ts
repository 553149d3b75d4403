// Immutable and mutable records: put by one implementation, get by the other.
import { afterEach, describe, expect, it } from 'vitest'
import { keyPair } from '../../src/index.js'
import { type MixedNetwork, call, mixedNetwork } from './originals.js'

let net: MixedNetwork | null = null
afterEach(async () => {
  await net?.destroy()
  net = null
})

describe('records across implementations', () => {
  it('immutable: ours puts, theirs gets; theirs puts, ours gets', async () => {
    net = await mixedNetwork('theirs', 2)
    const mine = net.ours[net.ours.length - 1]
    const theirs = net.theirs[net.theirs.length - 1]
    const key = await mine.immutable.put(Buffer.from('from ours'))
    const got = await new Promise<Buffer | null>((resolve, reject) =>
      theirs.immutable.get(key, (err, value) => (err ? reject(err) : resolve(value))),
    )
    expect(got?.toString()).toBe('from ours')

    const theirKey = await call<Buffer>((cb) =>
      theirs.immutable.put(Buffer.from('from theirs'), cb),
    )
    expect(theirKey.equals(key)).toBe(false)
    const mineGot = await mine.immutable.get(theirKey)
    expect(mineGot?.value.toString()).toBe('from theirs')
  })

  it('mutable: ours puts (salted and not), theirs gets, and the reverse with seq checks', async () => {
    net = await mixedNetwork('ours', 2)
    const mine = net.ours[net.ours.length - 1]
    const theirs = net.theirs[net.theirs.length - 1]
    const keypair = keyPair()
    await mine.mutable.put(Buffer.from('ours v1'), { keypair, seq: 1 })
    const got = await call<{ value: Buffer | null; seq?: number }>((cb) =>
      theirs.mutable.get(keypair.publicKey, {}, cb),
    )
    expect(got.value?.toString()).toBe('ours v1')
    expect(got.seq).toBe(1)
    const salt = mine.mutable.salt('profile')
    await mine.mutable.put(Buffer.from('salted'), { keypair, seq: 0, salt })
    const salted = await call<{ value: Buffer | null }>((cb) =>
      theirs.mutable.get(keypair.publicKey, { salt }, cb),
    )
    expect(salted.value?.toString()).toBe('salted')

    const theirPair = theirs.mutable.keypair()
    await call((cb) =>
      theirs.mutable.put(Buffer.from('theirs v5'), { keypair: theirPair, seq: 5 }, cb),
    )
    const mineGot = await mine.mutable.get(theirPair.publicKey)
    expect(mineGot?.value.toString()).toBe('theirs v5')
    expect(mineGot?.seq).toBe(5)
    // a lower seq is refused with the error the original names (proof verified by us)
    await expect(
      mine.mutable.put(Buffer.from('stale'), { keypair: theirPair, seq: 4 }),
    ).rejects.toMatchObject({
      code: 'ERR_SEQ_MUST_EXCEED_CURRENT',
    })
    // and theirs is refused by ours the same way
    await expect(
      call((cb) => theirs.mutable.put(Buffer.from('ours v0'), { keypair, seq: 0 }, cb)),
    ).rejects.toThrow(/ERR_SEQ_MUST_EXCEED_CURRENT/)
  })
})
