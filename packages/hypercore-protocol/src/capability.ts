// Discovery keys and channel capabilities: proof, bound to one connection, that a peer knows a key.
import { sodium } from './commonjs.js'

const HYPERCORE = Buffer.from('hypercore')
const HYPERCORE_CAPABILITY = Buffer.from('hypercore capability')

/** BLAKE2b-256 of "hypercore" keyed by the feed key (hypercore-crypto's discoveryKey). */
export function discoveryKey(key: Uint8Array): Buffer {
  const out = Buffer.alloc(32)
  sodium.crypto_generichash(out, HYPERCORE, key)
  return out
}

/** What I send in Open: BLAKE2b-256(key = my rx, "hypercore capability" ‖ my tx ‖ feed key). */
export function capability(key: Uint8Array, tx: Uint8Array, rx: Uint8Array): Buffer {
  const out = Buffer.alloc(32)
  sodium.crypto_generichash_batch(out, [HYPERCORE_CAPABILITY, tx, key], rx)
  return out
}

/** What the remote must send: the same with the split keys swapped (its tx is my rx). */
export function remoteCapability(key: Uint8Array, tx: Uint8Array, rx: Uint8Array): Buffer {
  return capability(key, rx, tx)
}
