// connectivity(), as hyperswarm@2's: bound, bootstrapped (the DHT reached a node) and holepunched
// (its contacts agree on our address and port). Its own bootstrap node: the extra DHT nodes this
// test starts must not linger in another test's routing tables.
import { DHT, createBootstrapNode } from '@hyperstack/hyperswarm-dht'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Hyperswarm, type HyperswarmOptions } from '../src/swarm.js'
import { closedPort } from './helpers.js'

let bootstrapNode: DHT
let bootstrap: string[]

beforeAll(async () => {
  bootstrapNode = await createBootstrapNode({ port: 0, host: '127.0.0.1' })
  bootstrap = [`127.0.0.1:${bootstrapNode.address().port}`]
})

afterAll(async () => {
  await bootstrapNode.destroy()
})

const swarms: Hyperswarm[] = []
const dhts: DHT[] = []
afterEach(async () => {
  await Promise.all(swarms.splice(0).map((s) => s.destroy()))
  await Promise.all(dhts.splice(0).map((d) => d.destroy()))
})

function swarm(opts: HyperswarmOptions = {}): Hyperswarm {
  const s = new Hyperswarm({ bootstrap, host: '127.0.0.1', ...opts })
  swarms.push(s)
  return s
}

describe('connectivity', () => {
  it('is bound and bootstrapped with a reachable bootstrap node, not bootstrapped without one', async () => {
    // One contact (the bootstrap node): holepunching needs 3 of the latest contacts to agree on
    // our address and port, so it is not reported yet.
    expect(await swarm().connectivity()).toEqual({
      bound: true,
      bootstrapped: true,
      holepunched: false,
    })
    // Three more nodes on the network: a new swarm's bootstrap walk meets them all, they agree
    // on its 127.0.0.1 address and port, and it reports holepunched.
    for (let i = 0; i < 3; i++) {
      const node = new DHT({ bootstrap, host: '127.0.0.1', ephemeral: false })
      dhts.push(node)
      await node.ready()
    }
    expect(await swarm().connectivity()).toEqual({
      bound: true,
      bootstrapped: true,
      holepunched: true,
    })

    const alone = swarm({ bootstrap: [`127.0.0.1:${await closedPort()}`] })
    expect(await alone.connectivity()).toEqual({
      bound: true,
      bootstrapped: false,
      holepunched: false,
    })
    await alone.destroy()
    await expect(alone.connectivity()).rejects.toMatchObject({ code: 'ERR_SWARM_DESTROYED' })
  })
})
