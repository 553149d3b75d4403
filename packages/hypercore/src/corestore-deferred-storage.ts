// A random-access storage whose target is known only later: Corestore hands a core its `key` and
// `secret_key` files this way, so `get()` can return the core at once while the key pair is
// still being loaded from disk (the role of corestore@5's derived-key-storage wrappers).
import { EventEmitter } from 'node:events'
import type { RandomAccessStorage, StorageCallback } from 'random-access-memory'
import { unlinkFile } from './storage.js'

export class DeferredStorage extends EventEmitter {
  private target: RandomAccessStorage | null = null
  private failure: Error | null = null
  private readonly waiting: Array<() => void> = []
  private isClosed = false

  /**
   * `companions` are the files on disk this one stands for (the core's `key` and `name`, or its
   * `secret_key`): unlinking this unlinks them too, so destroyStorage leaves nothing behind.
   */
  constructor(
    pending: Promise<RandomAccessStorage>,
    private readonly companions: () => RandomAccessStorage[],
  ) {
    super()
    pending.then(
      (target) => this.settle(target, null),
      (err: Error) => this.settle(null, err),
    )
  }

  get opened(): boolean {
    return this.target?.opened === true
  }
  get closed(): boolean {
    return this.isClosed
  }
  get readable(): boolean {
    return true
  }
  get writable(): boolean {
    return true
  }
  get deletable(): boolean {
    return true
  }
  get statable(): boolean {
    return true
  }

  open(cb: StorageCallback): void {
    this.run(cb, (target) => target.open(cb))
  }
  read(offset: number, size: number, cb: StorageCallback<Buffer>): void {
    this.run(cb, (target) => target.read(offset, size, cb))
  }
  write(offset: number, data: Buffer, cb: StorageCallback = noop): void {
    this.run(cb, (target) => target.write(offset, data, cb))
  }
  del(offset: number, size: number, cb: StorageCallback = noop): void {
    this.run(cb, (target) => target.del(offset, size, cb))
  }
  truncate(offset: number, cb: StorageCallback = noop): void {
    this.run(cb, (target) => target.truncate(offset, cb))
  }
  stat(cb: StorageCallback<{ size: number }>): void {
    this.run(cb, (target) => target.stat(cb))
  }
  unlink(cb: StorageCallback = noop): void {
    const unlinkAll = (first: Error | null) => {
      Promise.all(this.companions().map(unlinkFile)).then(
        () => cb(first),
        (err: Error) => cb(first ?? err),
      )
    }
    // Keys that never loaded leave the files on disk to unlink all the same.
    this.run(
      () => unlinkAll(null),
      (target) => target.unlink(unlinkAll),
    )
  }
  close(cb: StorageCallback = noop): void {
    this.isClosed = true
    // Closing never fails because loading the keys did: there is nothing left open then.
    this.run(
      () => cb(null),
      (target) =>
        target.close((err) => {
          this.emit('close')
          cb(err)
        }),
    )
  }

  private settle(target: RandomAccessStorage | null, failure: Error | null) {
    this.target = target
    this.failure = failure
    for (const resume of this.waiting.splice(0)) resume()
  }

  private run(onFailure: (err: Error) => void, onTarget: (target: RandomAccessStorage) => void) {
    if (this.target !== null) onTarget(this.target)
    else if (this.failure !== null) onFailure(this.failure)
    else this.waiting.push(() => this.run(onFailure, onTarget))
  }
}

function noop() {}
