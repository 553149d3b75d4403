// connectivity(), as hyperswarm@2's: bound, bootstrapped (the DHT reached a node) and holepunched
// (its contacts agree on our address and port). Its own bootstrap node: the extra DHT nodes this
// test starts must not linger in another test's routing tables.
import { describe, expect, it } from 'vitest'
import { closedPort } from './helpers.js'
import { loopbackNetwork } from './loopback-network.js'

const net = loopbackNetwork()

describe('connectivity', () => {
  it('is bound and bootstrapped with a reachable bootstrap node, not bootstrapped without one', async () => {
    // One contact (the bootstrap node): holepunching needs 3 of the latest contacts to agree on
    // our address and port, so it is not reported yet.
    expect(await net.swarm().connectivity()).toEqual({
      bound: true,
      bootstrapped: true,
      holepunched: false,
    })
    // Three more nodes on the network: a new swarm's bootstrap walk meets them all, they agree
    // on its 127.0.0.1 address and port, and it reports holepunched.
    for (let i = 0; i < 3; i++) {
      await net.dht({ ephemeral: false }).ready()
    }
    expect(await net.swarm().connectivity()).toEqual({
      bound: true,
      bootstrapped: true,
      holepunched: true,
    })

    const alone = net.swarm({ bootstrap: [`127.0.0.1:${await closedPort()}`] })
    expect(await alone.connectivity()).toEqual({
      bound: true,
      bootstrapped: false,
      holepunched: false,
    })
    await alone.destroy()
    await expect(alone.connectivity()).rejects.toMatchObject({ code: 'ERR_SWARM_DESTROYED' })
  })
})
