// Writing a core's changed bitfield pages: chained so they land in order, after the data, tree
// nodes and signatures they describe, and coalesced into one flush per turn of the event loop.
import type { Bitfield } from './bitfield.js'
import { type ErrorEmitter, emitErrorIfHeard } from './emit-error.js'
import type { CoreStorage } from './storage.js'

/** The part of a core its bitfield writes read. */
export interface BitfieldCore extends ErrorEmitter {
  readonly bitfield: Bitfield | null
  readonly closed: boolean
  readonly storage: CoreStorage
}

export class BitfieldWrites {
  /** Every page write so far; settles (never rejects) once they have landed. */
  chain: Promise<void> = Promise.resolve()
  private flushScheduled = false

  constructor(private readonly core: BitfieldCore) {}

  /** Flushes the changed pages on the next turn (one flush for everything changed until then). */
  schedule(): void {
    if (this.flushScheduled) return
    this.flushScheduled = true
    setImmediate(() => {
      this.flushScheduled = false
      if (this.core.closed) return
      this.sync().catch((err: Error) => {
        emitErrorIfHeard(this.core, err)
      })
    })
  }

  /** Writes the changed bitfield pages (after the data, tree and signatures they describe). */
  async sync(): Promise<void> {
    const bitfield = this.core.bitfield as Bitfield
    if (!bitfield.hasUpdates()) return
    const pages = bitfield.takeUpdates()
    const run = this.chain.then(() =>
      Promise.all(
        pages.map((p) => this.core.storage.putBitfieldPage(p.index, bitfield.pageSize, p.buffer)),
      ),
    )
    this.chain = run.then(
      () => {},
      () => {},
    )
    await run
  }
}
