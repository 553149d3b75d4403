// random-access-memory, and the random-access-storage v3 interface every storage backend shares.
declare module 'random-access-memory' {
  import { EventEmitter } from 'node:events'

  export type StorageCallback<T = void> = (err: Error | null, value?: T) => void

  /** The callback API of random-access-storage v3, as random-access-file and -memory expose it. */
  export class RandomAccessStorage extends EventEmitter {
    readonly opened: boolean
    readonly closed: boolean
    readonly readable: boolean
    readonly writable: boolean
    readonly deletable: boolean
    readonly statable: boolean
    open(cb: StorageCallback): void
    read(offset: number, size: number, cb: StorageCallback<Buffer>): void
    write(offset: number, data: Buffer, cb?: StorageCallback): void
    del(offset: number, size: number, cb?: StorageCallback): void
    truncate(offset: number, cb?: StorageCallback): void
    stat(cb: StorageCallback<{ size: number }>): void
    close(cb?: StorageCallback): void
    unlink(cb?: StorageCallback): void
  }

  export interface RandomAccessMemoryOptions {
    pageSize?: number
    buffer?: Buffer
    length?: number
  }

  class RandomAccessMemory extends RandomAccessStorage {
    constructor(opts?: RandomAccessMemoryOptions | Buffer | number)
    /** A new in-memory file sharing this one's pages (copy on write). */
    clone(): RandomAccessMemory
    static reusable(): (name: string) => RandomAccessMemory
  }
  export default RandomAccessMemory
}
