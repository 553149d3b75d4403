// Builds loopback networks of our nodes for tests, and tears them down.
import { DHT, type DHTOptions, createBootstrapNode } from '../../src/index.js'

export interface Network {
  bootstrap: DHT
  bootstrapList: string[]
  nodes: DHT[]
  destroy(): Promise<void>
}

export async function createNetwork(size: number, opts: DHTOptions = {}): Promise<Network> {
  const bootstrap = await createBootstrapNode({ port: 0, host: '127.0.0.1', ...opts })
  const bootstrapList = [`127.0.0.1:${bootstrap.address().port}`]
  const nodes: DHT[] = []
  for (let i = 0; i < size; i++) {
    const node = new DHT({ host: '127.0.0.1', bootstrap: bootstrapList, ...opts })
    nodes.push(node)
  }
  await Promise.all(nodes.map((n) => n.ready()))
  return {
    bootstrap,
    bootstrapList,
    nodes,
    async destroy() {
      await Promise.all([bootstrap, ...nodes].map((n) => n.destroy()))
    },
  }
}

export function randomTopic(): Buffer {
  const b = Buffer.alloc(32)
  for (let i = 0; i < 32; i++) b[i] = Math.floor(Math.random() * 256)
  return b
}
