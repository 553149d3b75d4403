import fs from 'node:fs'
import path from 'node:path'
import type { RandomAccessStorage } from 'random-access-memory'
// The six files of a hypercore@9 core (key, secret_key, tree, data, bitfield, signatures) and their headers.
import { RandomAccessFile } from './commonjs.js'
import { type TreeNode, isBlank, readU64, writeU64 } from './crypto.js'
import { CorruptStorageError } from './errors.js'
import { readNow, writeNow, writevNow } from './file-now.js'

export type { RandomAccessStorage }

/** A folder path, or a function giving the storage for each file name. */
export type StorageOption = string | ((name: string) => RandomAccessStorage)

export const FILE_NAMES = ['key', 'secret_key', 'tree', 'data', 'bitfield', 'signatures'] as const
export type FileName = (typeof FILE_NAMES)[number]

const BITFIELD_TYPE = 0
const SIGNATURES_TYPE = 1
const TREE_TYPE = 2

/** The 32-byte header of tree, signatures and bitfield: magic 050257, type, version, entry size, algorithm. */
export function fileHeader(type: number, entrySize: number, algorithm: string | null): Buffer {
  const buf = Buffer.alloc(32)
  buf[0] = 5
  buf[1] = 2
  buf[2] = 87
  buf[3] = type
  buf[4] = 0
  buf.writeUInt16BE(entrySize, 5)
  if (algorithm) {
    buf[7] = algorithm.length
    buf.write(algorithm, 8, 'ascii')
  }
  return buf
}

export function read(st: RandomAccessStorage, offset: number, size: number): Promise<Buffer> {
  try {
    const now = readNow(st, offset, size)
    if (now) return Promise.resolve(now)
  } catch (err) {
    return Promise.reject(err)
  }
  return new Promise((resolve, reject) => {
    st.read(offset, size, (err, buf) => (err ? reject(err) : resolve(buf as Buffer)))
  })
}

const WRITTEN = Promise.resolve()
/** Batches of blocks smaller than this on average are written as one concatenation. */
const SMALL_BLOCK = 4096

export function write(st: RandomAccessStorage, offset: number, data: Buffer): Promise<void> {
  try {
    if (writeNow(st, offset, data)) return WRITTEN
  } catch (err) {
    return Promise.reject(err)
  }
  return new Promise((resolve, reject) => {
    st.write(offset, data, (err) => (err ? reject(err) : resolve()))
  })
}

function del(st: RandomAccessStorage, offset: number, size: number): Promise<void> {
  return new Promise((resolve, reject) => {
    st.del(offset, size, (err) => (err ? reject(err) : resolve()))
  })
}

function stat(st: RandomAccessStorage): Promise<{ size: number } | null> {
  return new Promise((resolve) => {
    st.stat((err, s) => resolve(err || !s ? null : s))
  })
}

function closeFile(st: RandomAccessStorage): Promise<void> {
  return new Promise((resolve) => st.close(() => resolve()))
}

/**
 * Deletes a file: `unlink` in random-access-storage 2 and later, `destroy` in 1.x (the
 * random-access-memory@3 hypercore@9 tests use). A file that was never written is no error.
 */
export function unlinkFile(st: RandomAccessStorage): Promise<void> {
  const file: { unlink?: unknown; destroy?: unknown } = st
  return new Promise((resolve, reject) => {
    const done = (err: Error | null) => {
      if (err && (err as NodeJS.ErrnoException).code !== 'ENOENT') reject(err)
      else resolve()
    }
    if (typeof file.unlink === 'function') st.unlink(done)
    else if (typeof file.destroy === 'function') file.destroy.call(st, done)
    else resolve()
  })
}

function fsyncFile(st: RandomAccessStorage, dataOnly = false): Promise<void> {
  const fd = (st as unknown as { fd?: unknown }).fd
  if (typeof fd !== 'number' || fd < 0) return Promise.resolve()
  const sync = dataOnly ? fs.fdatasync : fs.fsync
  return new Promise((resolve, reject) => sync(fd, (err) => (err ? reject(err) : resolve())))
}

/** What `open` finds in storage. */
export interface StoredState {
  bitfieldPageSize: number
  bitfieldPages: Buffer[]
  key: Buffer | null
  secretKey: Buffer | null
}

/** Turns the storage option into a file factory (folders use random-access-file, locking `bitfield`). */
export function toFileFactory(storage: StorageOption): (name: FileName) => RandomAccessStorage {
  if (typeof storage === 'function') return storage
  const dir = storage
  return (name) => new RandomAccessFile(path.join(dir, name), { lock: name === 'bitfield' })
}

/** Writes `header` at the start of `file` unless it is there already. */
async function ensureHeader(file: RandomAccessStorage, header: Buffer): Promise<void> {
  const stored = await read(file, 0, header.length).catch(() => null)
  if (!stored?.equals(header)) await write(file, 0, header)
}

/** The six files of one core. */
export class CoreStorage {
  readonly key: RandomAccessStorage
  readonly secretKey: RandomAccessStorage
  readonly tree: RandomAccessStorage
  readonly data: RandomAccessStorage
  readonly bitfield: RandomAccessStorage
  readonly signatures: RandomAccessStorage

  constructor(create: (name: FileName) => RandomAccessStorage) {
    this.key = create('key')
    this.secretKey = create('secret_key')
    this.tree = create('tree')
    this.data = create('data')
    this.bitfield = create('bitfield')
    this.signatures = create('signatures')
  }

  async readKey(): Promise<Buffer | null> {
    return read(this.key, 0, 32).catch(() => null)
  }

  /**
   * Writes the three headers where they are not already (the original rewrites them on every
   * open; the bytes are the same, and a core opened to read then dirties no page) and loads the
   * bitfield.
   */
  async open(): Promise<StoredState> {
    const [bitfield, key, secretKey] = await Promise.all([
      this.openBitfield(),
      read(this.key, 0, 32).catch(() => null),
      read(this.secretKey, 0, 64).catch(() => null),
      ensureHeader(this.signatures, fileHeader(SIGNATURES_TYPE, 64, 'Ed25519')),
      ensureHeader(this.tree, fileHeader(TREE_TYPE, 40, 'BLAKE2b')),
    ])
    return { bitfieldPageSize: bitfield.pageSize, bitfieldPages: bitfield.pages, key, secretKey }
  }

  private async openBitfield(): Promise<{ pageSize: number; pages: Buffer[] }> {
    let pageSize = 3584
    let stored: Buffer | null = null
    try {
      stored = await read(this.bitfield, 0, 32)
      pageSize = stored.readUInt16BE(5)
    } catch (err) {
      if ((err as { code?: unknown }).code === 'ELOCKED') throw err
    }
    if (pageSize < 3072 + 2 || pageSize > 65535)
      throw new CorruptStorageError(`Bitfield page size ${pageSize} is invalid`)
    const header = fileHeader(BITFIELD_TYPE, pageSize, null)
    if (!stored?.equals(header)) await write(this.bitfield, 0, header)
    const s = await stat(this.bitfield)
    const pages: Buffer[] = []
    if (s) {
      for (let offset = 32; offset < s.size; ) {
        const n = Math.min(s.size - offset, 32 * pageSize)
        const batch = await read(this.bitfield, offset, n)
        for (let i = 0; i < batch.length; i += pageSize) pages.push(batch.subarray(i, i + pageSize))
        offset += n
      }
    } else {
      for (;;) {
        const page = await read(this.bitfield, 32 + pages.length * pageSize, pageSize).catch(
          () => null,
        )
        if (!page) break
        pages.push(page)
      }
    }
    return { pageSize, pages }
  }

  async getNode(index: number): Promise<TreeNode> {
    const buf = await read(this.tree, 32 + 40 * index, 40).catch(() => null)
    if (!buf) throw new CorruptStorageError(`No node found at tree index ${index}`)
    const size = readU64(buf, 32)
    const hash = buf.subarray(0, 32)
    if (size === 0 && isBlank(hash))
      throw new CorruptStorageError(`No node found at tree index ${index}`)
    return { index, hash, size }
  }

  /** Raw tree entries for `count` nodes from node `first` (40 bytes each). */
  readTreeRange(first: number, count: number): Promise<Buffer> {
    return read(this.tree, 32 + 40 * first, 40 * count)
  }

  getNodes(indexes: readonly number[]): Promise<TreeNode[]> {
    return Promise.all(indexes.map((i) => this.getNode(i)))
  }

  /** Writes tree entries for a contiguous range starting at node `first` (null = zero slot). */
  putNodeRange(first: number, nodes: readonly (TreeNode | null | undefined)[]): Promise<void> {
    const buf = encodeNodes(nodes)
    return write(this.tree, 32 + 40 * first, buf)
  }

  putNode(node: TreeNode): Promise<void> {
    return write(this.tree, 32 + 40 * node.index, encodeNodes([node]))
  }

  /**
   * Writes tree nodes, one write per run of consecutive indexes (a block downloaded after its
   * neighbour brings its leaf, their parent and the next sibling: one write, not three).
   */
  putNodes(nodes: readonly TreeNode[]): Promise<void>[] {
    if (nodes.length === 1) return [this.putNode(nodes[0])]
    // Insertion sort: a handful of nodes, mostly in order already.
    const sorted = nodes.slice()
    for (let i = 1; i < sorted.length; i++) {
      const node = sorted[i]
      let j = i - 1
      for (; j >= 0 && sorted[j].index > node.index; j--) sorted[j + 1] = sorted[j]
      sorted[j + 1] = node
    }
    const writes: Promise<void>[] = []
    let first = 0
    for (let i = 1; i <= sorted.length; i++) {
      if (i < sorted.length && sorted[i].index === sorted[i - 1].index + 1) continue
      writes.push(
        i - first === 1
          ? this.putNode(sorted[first])
          : this.putNodeRange(sorted[first].index, sorted.slice(first, i)),
      )
      first = i
    }
    return writes
  }

  readData(offset: number, size: number): Promise<Buffer> {
    if (size === 0) return Promise.resolve(Buffer.alloc(0))
    return read(this.data, offset, size)
  }

  writeData(offset: number, data: Buffer): Promise<void> {
    if (data.length === 0) return Promise.resolve()
    return write(this.data, offset, data)
  }

  /** Writes consecutive blocks from `offset` (`total` bytes) without copying large ones. */
  writeDataRun(offset: number, datas: readonly Buffer[], total: number): Promise<void> {
    if (datas.length === 1) return this.writeData(offset, datas[0])
    try {
      if (writevNow(this.data, offset, datas, total)) return WRITTEN
    } catch (err) {
      return Promise.reject(err)
    }
    // Small blocks: one write of their concatenation beats many queued writes. Large ones: one
    // write each, sparing a second copy of the whole batch.
    if (total < SMALL_BLOCK * datas.length)
      return write(this.data, offset, Buffer.concat(datas, total))
    const writes: Promise<void>[] = []
    let at = offset
    for (const data of datas) {
      if (data.length) writes.push(write(this.data, at, data))
      at += data.length
    }
    return Promise.all(writes).then(() => undefined)
  }

  deleteData(offset: number, size: number): Promise<void> {
    if (size <= 0) return Promise.resolve()
    return del(this.data, offset, size)
  }

  /** The signature at slot `index`, or null when the slot is empty or past the end. */
  async getSignature(index: number): Promise<Buffer | null> {
    const buf = await read(this.signatures, 32 + 64 * index, 64).catch(() => null)
    return buf && !isBlank(buf) ? buf : null
  }

  /** Number of tree entries the file holds. */
  async treeSlots(): Promise<number> {
    const s = await stat(this.tree)
    return s ? Math.max(0, Math.floor((s.size - 32) / 40)) : 0
  }

  /** Number of signature slots the file holds. */
  async signatureSlots(): Promise<number> {
    const s = await stat(this.signatures)
    return s ? Math.max(0, Math.floor((s.size - 32) / 64)) : 0
  }

  putSignatures(firstSlot: number, signatures: Buffer): Promise<void> {
    return write(this.signatures, 32 + 64 * firstSlot, signatures)
  }

  putBitfieldPage(pageIndex: number, pageSize: number, buffer: Buffer): Promise<void> {
    return write(this.bitfield, 32 + pageIndex * pageSize, buffer)
  }

  writeKey(key: Buffer): Promise<void> {
    return write(this.key, 0, key)
  }

  writeSecretKey(secretKey: Buffer): Promise<void> {
    return write(this.secretKey, 0, secretKey)
  }

  clearBitfield(): Promise<void> {
    return del(this.bitfield, 32, Number.POSITIVE_INFINITY)
  }

  /** fsyncs the files an append touches (file storage only; others have nothing to sync). */
  /** fdatasyncs `data` and `tree`: what a writer's redo needs (see recovery.ts). */
  async syncAppendData(): Promise<void> {
    await Promise.all([fsyncFile(this.data, true), fsyncFile(this.tree, true)])
  }

  async sync(): Promise<void> {
    await Promise.all([fsyncFile(this.data), fsyncFile(this.tree), fsyncFile(this.signatures)])
    await fsyncFile(this.bitfield)
  }

  async close(): Promise<void> {
    await Promise.all(this.files().map(closeFile))
  }

  /** Deletes the six files (destroyStorage closed them first). */
  async destroy(): Promise<void> {
    await Promise.all(this.files().map(unlinkFile))
  }

  private files(): RandomAccessStorage[] {
    return [this.bitfield, this.tree, this.data, this.key, this.secretKey, this.signatures]
  }
}

export function encodeNodes(nodes: readonly (TreeNode | null | undefined)[]): Buffer {
  const buf = Buffer.alloc(40 * nodes.length)
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]
    if (!node) continue
    node.hash.copy(buf, 40 * i)
    writeU64(buf, node.size, 40 * i + 32)
  }
  return buf
}
