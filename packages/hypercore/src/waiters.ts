// Operations waiting for something to arrive: a block (get), a length (update), with timeouts.
import type { Bitfield } from './bitfield.js'
import { BlockNotAvailableError, TimeoutError, withoutStack } from './errors.js'

/** The part of a core the waiters look at. */
export interface WaitTarget {
  length: number
  bitfield: Bitfield | null
  replicator: { update(): void; available?(index: number): Promise<boolean> } | null
}

interface Waiter<T = void> {
  resolve: (value: T) => void
  reject: (err: Error) => void
  timer: NodeJS.Timeout | null
}

/** A block waiter's result: the bytes a peer sent, or null when the block came otherwise. */
type Arrived = Buffer | null

/** A seek waiting for tree nodes: byte offset, and the blocks [start, end) under the unknown node. */
export interface SeekWait {
  bytes: number
  start: number
  end: number
  waiter: Waiter
}

export class Waiters {
  private readonly blocks = new Map<number, Waiter<Arrived>[]>()
  private lengths: { minLength: number; waiter: Waiter }[] = []
  private seeks: SeekWait[] = []

  /** Block indexes someone is waiting for (the replicator requests these first). */
  wantedBlocks(): IterableIterator<number> {
    return this.blocks.keys()
  }

  /** The largest length someone waits for, or 0. */
  wantedLength(): number {
    let max = 0
    for (const l of this.lengths) if (l.minLength > max) max = l.minLength
    return max
  }

  /** Byte offsets a seek waits to learn the tree nodes of (the replicator sends byte requests). */
  wantedSeeks(): readonly SeekWait[] {
    return this.seeks
  }

  /** Waits until new tree nodes arrive (a seek then retries locally). */
  waitForSeek(
    core: WaitTarget,
    bytes: number,
    start: number,
    end: number,
    timeout: number,
  ): Promise<void> {
    // The cleanup runs on a timeout only, once `entry` exists.
    const { promise, waiter } = this.make(timeout, () => this.removeSeek(entry))
    const entry: SeekWait = { bytes, start, end, waiter }
    this.seeks.push(entry)
    core.replicator?.update()
    return promise
  }

  private removeSeek(entry: SeekWait): void {
    const i = this.seeks.indexOf(entry)
    if (i > -1) this.seeks.splice(i, 1)
    if (entry.waiter.timer) clearTimeout(entry.waiter.timer)
  }

  /** New tree nodes are stored: every waiting seek retries. */
  onNodes(): void {
    if (!this.seeks.length) return
    const seeks = this.seeks
    this.seeks = []
    for (const s of seeks) {
      if (s.waiter.timer) clearTimeout(s.waiter.timer)
      s.waiter.resolve()
    }
  }

  private make<T = void>(
    timeout: number,
    cleanup: (w: Waiter<T>) => void,
  ): { promise: Promise<T>; waiter: Waiter<T> } {
    let waiter!: Waiter<T>
    const promise = new Promise<T>((resolve, reject) => {
      waiter = { resolve, reject, timer: null }
    })
    if (timeout > 0) {
      waiter.timer = setTimeout(() => {
        cleanup(waiter)
        waiter.reject(withoutStack(() => new TimeoutError(`Timed out after ${timeout} ms`)))
      }, timeout)
    }
    return { promise, waiter }
  }

  /**
   * Waits until block `index` is stored. Resolves with its bytes when a peer sent it (each
   * waiter its own copy, so a get need not read back what just arrived), else null.
   */
  waitForBlock(
    core: WaitTarget,
    index: number,
    timeout: number,
    ifAvailable: boolean,
  ): Promise<Arrived> {
    const { promise, waiter } = this.make<Arrived>(timeout, (w) => this.removeBlock(index, w))
    let list = this.blocks.get(index)
    if (!list) {
      list = []
      this.blocks.set(index, list)
    }
    list.push(waiter)
    const replicator = core.replicator
    if (ifAvailable) {
      const check = replicator?.available ? replicator.available(index) : Promise.resolve(false)
      check.then(
        (ok) => {
          if (ok || core.bitfield?.get(index)) return
          if (this.removeBlock(index, waiter)) {
            waiter.reject(
              withoutStack(() => new BlockNotAvailableError('Block not available from peers')),
            )
          }
        },
        () => {},
      )
    }
    replicator?.update()
    return promise
  }

  private removeBlock(index: number, waiter: Waiter<Arrived>): boolean {
    const list = this.blocks.get(index)
    if (!list) return false
    const i = list.indexOf(waiter)
    if (i === -1) return false
    list.splice(i, 1)
    if (!list.length) this.blocks.delete(index)
    if (waiter.timer) clearTimeout(waiter.timer)
    return true
  }

  waitForLength(
    core: WaitTarget,
    minLength: number,
    timeout: number,
    ifAvailable: boolean,
  ): Promise<void> {
    const { promise, waiter } = this.make(timeout, () => this.removeLength(entry))
    const entry = { minLength, waiter }
    this.lengths.push(entry)
    const replicator = core.replicator
    if (ifAvailable) {
      const check = replicator?.available
        ? replicator.available(minLength - 1)
        : Promise.resolve(false)
      check.then(
        (ok) => {
          if (ok || core.length >= minLength) return
          if (this.removeLength(entry))
            waiter.reject(
              withoutStack(() => new BlockNotAvailableError('No update available from peers')),
            )
        },
        () => {},
      )
    }
    replicator?.update()
    return promise
  }

  private removeLength(entry: { minLength: number; waiter: Waiter }): boolean {
    const i = this.lengths.indexOf(entry)
    if (i === -1) return false
    this.lengths.splice(i, 1)
    if (entry.waiter.timer) clearTimeout(entry.waiter.timer)
    return true
  }

  /** Block `index` is stored; `data` is what a peer sent for it (null for other ways in). */
  onBlock(_core: WaitTarget, index: number, data: Buffer | null = null): void {
    const list = this.blocks.get(index)
    if (!list) return
    this.blocks.delete(index)
    for (const w of list) {
      if (w.timer) clearTimeout(w.timer)
      // A copy, as BlockReader.read(copy) gives: a view would pin the frame it came in.
      w.resolve(data === null ? null : Buffer.from(data))
    }
  }

  onAppend(core: WaitTarget): void {
    if (this.lengths.length) {
      const keep: { minLength: number; waiter: Waiter }[] = []
      for (const l of this.lengths) {
        if (core.length >= l.minLength) {
          if (l.waiter.timer) clearTimeout(l.waiter.timer)
          l.waiter.resolve()
        } else keep.push(l)
      }
      this.lengths = keep
    }
    if (this.blocks.size && core.bitfield) {
      for (const index of [...this.blocks.keys()])
        if (core.bitfield.get(index)) this.onBlock(core, index)
    }
  }

  /** Rejects the waits for blocks in [start, end) with `err` (a cancelled get). */
  cancelBlocks(start: number, end: number, err: () => Error): void {
    for (const [index, list] of this.blocks) {
      if (index < start || index >= end) continue
      this.blocks.delete(index)
      for (const w of list) {
        if (w.timer) clearTimeout(w.timer)
        w.reject(err())
      }
    }
  }

  closeAll(err: Error): void {
    for (const list of this.blocks.values()) {
      for (const w of list) {
        if (w.timer) clearTimeout(w.timer)
        w.reject(err)
      }
    }
    this.blocks.clear()
    for (const l of this.lengths) {
      if (l.waiter.timer) clearTimeout(l.waiter.timer)
      l.waiter.reject(err)
    }
    this.lengths = []
    for (const s of this.seeks) {
      if (s.waiter.timer) clearTimeout(s.waiter.timer)
      s.waiter.reject(err)
    }
    this.seeks = []
  }
}
