// Our own layers below the drive for tests: @hyperstack/hypercore cores in memory behind a
// minimal corestore (names -> deterministic key pairs, keys -> one shared core object).
import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import { Hypercore, keyPair } from '@hyperstack/hypercore'
import type RandomAccessMemory from 'random-access-memory'
import type {
  CorestoreGetOptions,
  DriveCore,
  DriveCorestore,
  ReplicationStream,
} from '../../src/index.js'

const require = createRequire(import.meta.url)
const requireFromHypercore = createRequire(
  new URL('../../../hypercore/package.json', import.meta.url),
)
const RAM = requireFromHypercore('random-access-memory') as typeof RandomAccessMemory
const ram = (): RandomAccessMemory => new RAM()

export class MemoryCorestore implements DriveCorestore {
  private readonly cores: Map<string, Hypercore>
  private readonly prefix: string

  constructor(prefix = '', cores = new Map<string, Hypercore>()) {
    this.prefix = prefix
    this.cores = cores
  }

  async ready(): Promise<void> {}

  private open(key: Buffer, opts: ConstructorParameters<typeof Hypercore>[2]): Hypercore {
    const hex = key.toString('hex')
    let core = this.cores.get(hex)
    if (!core) {
      core = new Hypercore(ram, key, opts)
      this.cores.set(hex, core)
    }
    return core
  }

  get(opts: CorestoreGetOptions): DriveCore {
    if (opts.keyPair)
      return this.open(opts.keyPair.publicKey, { keyPair: opts.keyPair, sparse: opts.sparse })
    if (opts.key) {
      const key = typeof opts.key === 'string' ? Buffer.from(opts.key, 'hex') : opts.key
      return this.open(key, { sparse: opts.sparse })
    }
    const name = opts.name ?? createHash('sha256').update(String(Math.random())).digest('hex')
    const seed = createHash('sha256').update(`${this.prefix}:${name}`).digest()
    const kp = keyPair(seed)
    return this.open(kp.publicKey, { keyPair: kp, sparse: opts.sparse })
  }

  default(opts: CorestoreGetOptions = {}): DriveCore {
    if (opts.key || opts.keyPair) return this.get(opts)
    return this.get({ ...opts, name: 'default' })
  }

  namespace(name: string): DriveCorestore {
    return new MemoryCorestore(this.prefix ? `${this.prefix}:${name}` : name, this.cores)
  }

  replicate(): ReplicationStream {
    throw new Error('MemoryCorestore does not replicate')
  }

  async close(): Promise<void> {
    await Promise.all([...this.cores.values()].map((c) => c.close()))
  }
}

/** random-access-memory@6 storage for our Corestore (a reopened file sees the same bytes). */
export function memoryStorage(): (name: string) => RandomAccessMemory {
  return RAM.reusable()
}
