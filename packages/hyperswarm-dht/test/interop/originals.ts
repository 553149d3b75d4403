// Loads @hyperswarm/dht@4 (CommonJS, untyped) behind a small typed interface and builds mixed
// loopback networks. The original is always given an explicit loopback bootstrap list and bound
// to 127.0.0.1 before its first send, so it never reaches its public default bootstrap hosts.
import type { EventEmitter } from 'node:events'
import { createRequire } from 'node:module'
import { DHT, createBootstrapNode } from '../../src/index.js'

const require = createRequire(import.meta.url)

export interface OriginalPeersResult {
  node: { id: Buffer | null; host: string; port: number }
  to: { host: string; port: number } | null
  peers: { host: string; port: number }[] | null
  localPeers: { host: string; port: number }[] | null
}

type Cb<T> = (err: Error | null, value: T) => void

export interface OriginalDHT extends EventEmitter {
  id: Buffer
  listen(port: number, addr: string, cb?: () => void): void
  address(): { address: string; port: number }
  ready(cb: () => void): void
  announce(key: Buffer, opts: object, cb: Cb<OriginalPeersResult[]>): unknown
  unannounce(key: Buffer, opts: object, cb: Cb<unknown>): unknown
  lookup(key: Buffer, opts: object, cb: Cb<OriginalPeersResult[]>): unknown
  holepunch(
    peer: { host: string; port: number; referrer: { host: string; port: number } },
    cb: Cb<unknown>,
  ): void
  getNodes(): { id: Buffer; host: string; port: number }[]
  immutable: {
    put(value: Buffer, cb: Cb<Buffer>): unknown
    get(key: Buffer, cb: (err: Error | null, value: Buffer | null) => void): unknown
  }
  mutable: {
    keypair(): { publicKey: Buffer; secretKey: Buffer }
    salt(str?: string): Buffer
    put(value: Buffer, opts: object, cb: Cb<unknown>): unknown
    get(key: Buffer, opts: object, cb: Cb<{ value: Buffer | null; seq?: number }>): unknown
  }
  destroy(): void
}

const createOriginal = require('@hyperswarm/dht') as (opts: object) => OriginalDHT

/** An original node bound to 127.0.0.1, bootstrapped off `bootstrap` (may be empty). */
export async function startOriginal(bootstrap: string[], opts: object = {}): Promise<OriginalDHT> {
  const node = createOriginal({ bootstrap, ...opts })
  // bind before the bootstrap that the constructor schedules for the next tick
  const listening = new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve))
  node.on('warning', () => {})
  await listening
  await new Promise<void>((resolve) => node.ready(resolve))
  return node
}

/** Closes an original and waits for its socket to close. */
export function stopOriginal(node: OriginalDHT): Promise<void> {
  return new Promise<void>((resolve) => {
    node.once('close', () => resolve())
    node.destroy()
  })
}

export function call<T>(fn: (cb: Cb<T>) => unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    fn((err, value) => (err ? reject(err) : resolve(value)))
  })
}

export interface MixedNetwork {
  bootstrapList: string[]
  ours: DHT[]
  theirs: OriginalDHT[]
  destroy(): Promise<void>
}

/** A loopback network with a bootstrap node of either kind and `n` nodes of each kind. */
export async function mixedNetwork(
  bootstrapKind: 'ours' | 'theirs',
  n: number,
): Promise<MixedNetwork> {
  const ours: DHT[] = []
  const theirs: OriginalDHT[] = []
  let bootstrapList: string[]
  if (bootstrapKind === 'ours') {
    const b = await createBootstrapNode({ port: 0, host: '127.0.0.1' })
    ours.push(b)
    bootstrapList = [`127.0.0.1:${b.address().port}`]
  } else {
    const b = await startOriginal([])
    theirs.push(b)
    bootstrapList = [`127.0.0.1:${b.address().port}`]
  }
  for (let i = 0; i < n; i++) {
    const mine = new DHT({ host: '127.0.0.1', bootstrap: bootstrapList })
    await mine.ready()
    ours.push(mine)
    theirs.push(await startOriginal(bootstrapList))
  }
  return {
    bootstrapList,
    ours,
    theirs,
    async destroy() {
      await Promise.all([...ours.map((o) => o.destroy()), ...theirs.map(stopOriginal)])
    },
  }
}
