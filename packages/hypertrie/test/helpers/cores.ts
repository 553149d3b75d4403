// Our Hypercore over in-memory storage (random-access-memory@3, the same storage functions the
// originals take), for tests that run the trie on the real core.
import { createRequire } from 'node:module'
import { Hypercore, type StorageOption } from '@hyperstack/hypercore'

const require = createRequire(import.meta.url)
const ram3 = require('random-access-memory-v3') as () => never

export const ramStorage: StorageOption = () => ram3()

export function newCore(
  key?: Buffer | null,
  opts: { sparse?: boolean; secretKey?: Buffer } = {},
): Hypercore {
  return new Hypercore(ramStorage, key ?? null, { valueEncoding: 'binary', ...opts })
}
