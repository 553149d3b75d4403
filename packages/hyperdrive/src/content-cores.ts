// The content core of each metadata core (the drive's own and every mounted drive's), opened
// from the key in the trie header (block 0), plus the per-core write lock.
import type { DriveCore, DriveCorestore, DriveTrie } from './drive-backend.js'
import { ContentMismatchError } from './errors.js'
import { Mutex } from './mutex.js'

export class ContentCores {
  private readonly cores = new Map<DriveCore, Promise<DriveCore>>()
  /** The same cores once open, for lookups that need no promise (reads of a ready drive). */
  private readonly opened = new Map<DriveCore, DriveCore>()
  private readonly locks = new WeakMap<DriveCore, Mutex>()

  constructor(
    private readonly corestore: DriveCorestore,
    private readonly sparse: boolean,
  ) {}

  /** Registers a content core the drive created itself (first open of a writable drive). */
  set(metadata: DriveCore, content: DriveCore): void {
    this.cores.set(metadata, Promise.resolve(content))
    this.opened.set(metadata, content)
  }

  /** The content core of the trie's drive when it is already open (no I/O, no promise). */
  current(trie: DriveTrie): DriveCore | undefined {
    return this.opened.get(trie.feed)
  }

  /** The already opened content core of a metadata core, if any (no I/O). */
  peek(metadata: DriveCore): Promise<DriveCore> | undefined {
    return this.cores.get(metadata)
  }

  /** The content core of the trie's drive, opened once by the public key in its header. */
  get(trie: DriveTrie): Promise<DriveCore> {
    const cached = this.cores.get(trie.feed)
    if (cached) return cached
    const opening = this.open(trie)
    this.cores.set(trie.feed, opening)
    opening.then(
      (core) => {
        if (this.cores.get(trie.feed) === opening) this.opened.set(trie.feed, core)
      },
      () => {},
    )
    // A failed open (e.g. header not available yet) is retried on the next call.
    opening.catch(() => {
      if (this.cores.get(trie.feed) === opening) this.cores.delete(trie.feed)
    })
    return opening
  }

  private async open(trie: DriveTrie): Promise<DriveCore> {
    const key = await trie.getMetadata()
    if (!key || key.length !== 32) {
      throw new ContentMismatchError('The drive header does not name a 32-byte content core key')
    }
    const core = this.corestore.get({ key, sparse: this.sparse })
    await core.ready()
    return core
  }

  lock(core: DriveCore): Promise<() => void> {
    let m = this.locks.get(core)
    if (!m) {
      m = new Mutex()
      this.locks.set(core, m)
    }
    return m.lock()
  }

  all(): Promise<DriveCore>[] {
    return [...this.cores.values()]
  }
}
