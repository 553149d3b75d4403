// The immutable-store command of @hyperswarm/dht@4: values keyed by their BLAKE2b-256 hash,
// stored on the 20 nodes closest to the key.

import type { CommandHost, CommandRequest } from './command-host.js'
import { InvalidArgumentError } from './errors.js'
import { VALUE_MAX_SIZE, hashValue } from './signing.js'

const PREFIX = 'i'

export interface ImmutableGetResult {
  /** The node that returned the value (our own id for a local hit). */
  id: Buffer | null
  value: Buffer
}

export class ImmutableStore {
  private readonly host: CommandHost

  constructor(host: CommandHost) {
    this.host = host
  }

  /** Stores `value` locally and on the closest nodes; resolves with its key. */
  async put(value: Uint8Array): Promise<Buffer> {
    if (!(value instanceof Uint8Array)) throw new InvalidArgumentError('Value must be a buffer')
    if (value.length > VALUE_MAX_SIZE) {
      throw new InvalidArgumentError(`Value size must be <= ${VALUE_MAX_SIZE}, got ${value.length}`)
    }
    const buf = Buffer.from(value)
    const key = hashValue(buf)
    this.host.store.set(PREFIX + key.toString('hex'), buf)
    const { done } = await this.host.startQuery({
      command: 'immutable-store',
      target: key,
      value: buf,
      query: false,
      update: true,
      k: 20,
    })
    await done
    return key
  }

  /** The value whose hash is `key`, or null when no node has it. */
  async get(key: Uint8Array): Promise<ImmutableGetResult | null> {
    if (!(key instanceof Uint8Array) || key.length !== 32) {
      throw new InvalidArgumentError('Key must be a 32-byte buffer')
    }
    const target = Buffer.from(key)
    const local = this.host.store.get(PREFIX + target.toString('hex'))
    if (Buffer.isBuffer(local)) return { id: this.host.id, value: local }
    let found: ImmutableGetResult | null = null
    const running = await this.host.startQuery({
      command: 'immutable-store',
      target,
      value: null,
      query: true,
      update: false,
      onReply: (reply) => {
        const v = reply.message.value
        if (found || !v || !hashValue(v).equals(target)) return
        found = { id: reply.node.id, value: v }
        running.query.destroy()
      },
    })
    await running.done
    return found
  }
}

/** Serves immutable-store: QUERY returns the stored value, UPDATE stores a hash-checked one. */
export function serveImmutable(host: CommandHost, req: CommandRequest): void {
  const key = PREFIX + req.target.toString('hex')
  if (req.type === 'query') {
    const v = host.store.get(key)
    req.reply(null, Buffer.isBuffer(v) ? v : null)
    return
  }
  const value = req.message.value
  if (!value || value.length > VALUE_MAX_SIZE || !hashValue(value).equals(req.target)) {
    req.reply('ERR_INVALID_INPUT', null)
    return
  }
  host.store.set(key, value)
  req.reply(null, null)
}
