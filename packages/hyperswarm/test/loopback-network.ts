// A DHT bootstrap node on 127.0.0.1 for one test file, and the swarms and DHT nodes its tests
// make, destroyed after each test (registers the file's vitest hooks).
import { DHT, type DHTOptions, createBootstrapNode } from '@hyperstack/hyperswarm-dht'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { Hyperswarm, type HyperswarmOptions } from '../src/swarm.js'

export interface LoopbackNetwork {
  /** The bootstrap node (its port is the referrer of peers found through it). */
  readonly node: DHT
  readonly bootstrap: string[]
  /** A swarm on 127.0.0.1 bootstrapped here, destroyed after the test. */
  swarm(opts?: HyperswarmOptions): Hyperswarm
  /** A DHT node bootstrapped here, destroyed after the test. */
  dht(opts?: DHTOptions): DHT
}

export function loopbackNetwork(): LoopbackNetwork {
  let node: DHT | null = null
  let bootstrap: string[] = []
  const swarms: Hyperswarm[] = []
  const dhts: DHT[] = []
  beforeAll(async () => {
    node = await createBootstrapNode({ port: 0, host: '127.0.0.1' })
    bootstrap = [`127.0.0.1:${node.address().port}`]
  })
  afterAll(async () => {
    await node?.destroy()
  })
  afterEach(async () => {
    await Promise.all(swarms.splice(0).map((s) => s.destroy()))
    await Promise.all(dhts.splice(0).map((d) => d.destroy()))
  })
  return {
    get node() {
      if (!node) throw new Error('The bootstrap node starts in beforeAll')
      return node
    },
    get bootstrap() {
      return bootstrap
    },
    swarm(opts = {}) {
      const s = new Hyperswarm({ bootstrap, host: '127.0.0.1', ...opts })
      swarms.push(s)
      return s
    },
    dht(opts = {}) {
      const d = new DHT({ bootstrap, host: '127.0.0.1', ...opts })
      dhts.push(d)
      return d
    },
  }
}
