// A local bootstrap node: persistent, with no bootstrap list of its own, on a known port.

import { DHT, type DHTOptions } from './dht.js'

export interface BootstrapNodeOptions
  extends Omit<DHTOptions, 'bootstrap' | 'ephemeral' | 'adaptive'> {
  /** UDP port (default 49737, the port of the original's public bootstrap hosts; 0 = any). */
  port?: number
}

/** Starts a non-ephemeral node with no bootstrap list, listening on `port`. */
export async function createBootstrapNode(opts: BootstrapNodeOptions = {}): Promise<DHT> {
  const { port = 49737, ...rest } = opts
  const node = new DHT({ ...rest, bootstrap: [], ephemeral: false })
  try {
    await node.listen(port, opts.host)
    await node.ready()
  } catch (err) {
    await node.destroy()
    throw err
  }
  return node
}
