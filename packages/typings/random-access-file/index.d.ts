// random-access-file: a RandomAccessStorage backed by one file on disk (random-access-storage v3 API).
declare module 'random-access-file' {
  import type { RandomAccessStorage } from 'random-access-memory'

  export interface RandomAccessFileOptions {
    truncate?: boolean
    size?: number
    readable?: boolean
    writable?: boolean
    lock?: boolean
    sparse?: boolean
    directory?: string
  }

  class RandomAccessFile extends RandomAccessStorage {
    constructor(filename: string, opts?: RandomAccessFileOptions)
    readonly filename: string
  }
  export default RandomAccessFile
}
