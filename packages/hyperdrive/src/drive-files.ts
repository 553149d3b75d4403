// Files: locating a file's content blocks, readFile, writeFile, write streams, create,
// truncate and unlink, with hyperdrive@10's layout (content blocks first, then the Stat).
import { Writable } from './commonjs.js'
import { cutIntoBlocks } from './content-range.js'
import { subscribe } from './core-listeners.js'
import type { DriveCore, DriveTrie } from './drive-backend.js'
import { type DriveContext, checkWritable, openedTrie } from './drive-context.js'
import type { ReadFileOptions, WriteFileOptions } from './drive-options.js'
import { cachedPlain, lookupPlain, lstatLocated, statLocated } from './drive-stat.js'
import {
  ContentMismatchError,
  FileNotFoundError,
  InvalidArgumentError,
  InvalidPermissionError,
  IsDirectoryError,
} from './errors.js'
import { toTrieKey } from './paths.js'
import { type FileLocation, FileReadStream } from './read-stream.js'
import { Stat } from './stat.js'
import { asBytes } from './trie-feed.js'
import { FileWriteStream, type WriteTarget, toBuffer } from './write-stream.js'

/** Where the bytes of the file at `name` (a normalised path) are: core, blocks and size. */
export async function locateFile(drive: DriveContext, name: string): Promise<FileLocation> {
  const root = drive.openTrie ?? (await openedTrie(drive))
  const key = toTrieKey(name)
  const cached = cachedPlain(drive, root, key)
  if (cached !== null) return fileLocation(drive, name, cached, root)
  // The common case, a node that is not a link: one lookup, one decode.
  const { plain, found } = await lookupPlain(drive, root, key)
  if (plain !== null) return fileLocation(drive, name, plain.stat, plain.trie)
  const located = await statLocated(drive, name, true, found)
  return fileLocation(drive, name, located.stat, located.trie)
}

/**
 * The location of a plain file of this drive's own trie from the Stat cache, without a promise,
 * when everything is local and in order; null sends the caller the full way (which also gives
 * the errors).
 */
function cachedLocation(drive: DriveContext, name: string): FileLocation | null {
  const root = drive.openTrie
  const st = root === null ? null : cachedPlain(drive, root, toTrieKey(name))
  if (root === null || st === null || st.mount !== null || st.isDirectory()) return null
  const core = drive.contentCores.current(root)
  if (core === undefined || st.offset + st.blocks > core.length) return null
  return blocksOf(core, st, name)
}

/** The location of the content blocks `st` names in `core`. */
function blocksOf(core: DriveCore, st: Stat, name: string): FileLocation {
  return {
    core,
    offset: st.offset,
    blocks: st.blocks,
    byteOffset: st.byteOffset,
    size: st.size,
    path: name,
  }
}

/** The content blocks the Stat `st` of `name` names, checked against its content core. */
async function fileLocation(
  drive: DriveContext,
  name: string,
  st: Stat,
  trie: DriveTrie,
): Promise<FileLocation> {
  if (st.mount?.hypercore) {
    const core = drive.corestore.get({ key: Buffer.from(st.mount.key), sparse: drive.sparse })
    await core.ready()
    return {
      core,
      offset: 0,
      blocks: core.length,
      byteOffset: 0,
      size: core.byteLength,
      path: name,
    }
  }
  if (st.isDirectory()) throw new IsDirectoryError(name)
  const core = drive.contentCores.current(trie) ?? (await drive.contentCores.get(trie))
  const end = st.offset + st.blocks
  // A peer announcing that many blocks is enough to go on: the reads that follow prove the
  // length with their blocks (a fresh replica's first read then costs no update round trip).
  const known = () => Math.max(core.length, core.remoteLength ?? 0)
  if (end > known() && !core.writable && core.update) {
    // A remote core may simply not be known that far yet: ask peers once. A peer announcing
    // the blocks is enough (the update goes on to verify a signed length, a round trip the
    // reads' own proofs make anyway).
    const updated = core.update({ ifAvailable: true, minLength: end }).catch(() => {})
    await untilAnnounced(core, () => known() >= end, updated)
  }
  if (end > known()) {
    throw new ContentMismatchError(
      `The Stat of ${name} names content blocks up to ${end}, the content core has ${core.length}`,
      name,
    )
  }
  return blocksOf(core, st, name)
}

/** Resolves once `enough()` holds after a peer's announcement, or once `done` settles. */
function untilAnnounced(
  core: DriveCore,
  enough: () => boolean,
  done: Promise<unknown>,
): Promise<void> {
  return new Promise<void>((resolve) => {
    const unsubscribe = subscribe(core, 'remote-update', () => {
      if (enough()) finish()
    })
    const finish = () => {
      unsubscribe()
      resolve()
    }
    done.then(finish)
  })
}

/** The whole file (or a range) of `path` (normalised) as one Buffer. */
export async function readFileBytes(
  drive: DriveContext,
  path: string,
  opts: ReadFileOptions,
): Promise<Buffer> {
  const whole = opts.start === undefined && opts.end === undefined && opts.length === undefined
  // A reader's lookups stay where the stream's open puts them (after the caller's next ticks,
  // when a just-connected peer has been heard); a writer's own files are all local.
  if (whole && drive.writable) {
    // A whole file of at most one block (most small files): no stream, one get.
    const loc = cachedLocation(drive, path) ?? (await locateFile(drive, path))
    if (loc.size === 0) return Buffer.alloc(0)
    if (loc.blocks === 1) {
      const data = asBytes(await loc.core.get(loc.offset))
      if (data.length < loc.size) {
        throw new ContentMismatchError(
          `Content of ${path} ended ${loc.size - data.length} bytes before the size its Stat records`,
          path,
        )
      }
      return data.length === loc.size ? data : data.subarray(0, loc.size)
    }
    return collect(new FileReadStream(() => Promise.resolve(loc), opts))
  }
  return collect(new FileReadStream(() => locateFile(drive, path), opts))
}

async function collect(stream: FileReadStream): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)
}

/** The content core of the drive owning `path` (a mounted drive below a mount), locked. */
async function lockContentFor(
  drive: DriveContext,
  path: string,
): Promise<{ core: DriveCore; release: () => void }> {
  checkWritable(drive, path)
  await drive.ready()
  // Without mounts every path belongs to this drive: skip the lookup (a drive's mounts are
  // only ever added by its single writer, which is this object).
  const trie = (await drive.hasMounts()) ? (await drive.trie.get(toTrieKey(path))).trie : drive.trie
  if (!trie.feed.writable)
    throw new InvalidPermissionError('The drive owning this path is not writable', path)
  const core = await drive.contentCores.get(trie)
  if (!core.writable) throw new InvalidPermissionError('The content core is not writable', path)
  const release = await drive.contentCores.lock(core)
  return { core, release }
}

/** Puts a file Stat, refusing (EISDIR) to replace a directory node, as fs.writeFile does. */
async function putFileStat(drive: DriveContext, path: string, stat: Stat): Promise<void> {
  const key = toTrieKey(path)
  const value = stat.encode()
  const root = drive.trie
  const result = await root.put(key, value, {
    condition: (existing) => {
      if (existing && existing.flags !== 1 && Stat.decode(existing.value).isDirectory()) {
        throw new IsDirectoryError(path)
      }
    },
  })
  drive.statCache?.wrote(root, key, value, result)
}

export async function putStat(drive: DriveContext, path: string, stat: Stat): Promise<void> {
  const key = toTrieKey(path)
  const value = stat.encode()
  const root = drive.trie
  const result = await root.put(key, value)
  drive.statCache?.wrote(root, key, value, result)
}

function fileStat(
  opts: WriteFileOptions,
  offset: number,
  byteOffset: number,
  core: DriveCore,
): Stat {
  return Stat.file({
    mode: opts.mode,
    uid: opts.uid,
    gid: opts.gid,
    mtime: opts.mtime,
    ctime: opts.ctime,
    metadata: opts.metadata,
    offset,
    byteOffset,
    size: core.byteLength - byteOffset,
    blocks: core.length - offset,
  })
}

/** Writes a whole file at `path` (normalised): one append of its blocks, then its Stat. */
export async function writeFileBytes(
  drive: DriveContext,
  path: string,
  data: Uint8Array | string,
  opts: WriteFileOptions,
): Promise<void> {
  const buf = toBuffer(data, opts.encoding ?? 'utf-8')
  const { core, release } = await lockContentFor(drive, path)
  try {
    const offset = core.length
    const byteOffset = core.byteLength
    await core.append(cutIntoBlocks(buf))
    await putFileStat(drive, path, fileStat(opts, offset, byteOffset, core))
  } finally {
    release()
  }
  drive.emit('append', path, opts)
}

/** A writable stream into `path` (normalised); the Stat is put when it finishes. */
export function fileWriteStream(
  drive: DriveContext,
  path: string,
  opts: WriteFileOptions,
): FileWriteStream {
  return new FileWriteStream(async (): Promise<WriteTarget> => {
    const { core, release } = await lockContentFor(drive, path)
    return {
      core,
      release,
      commit: async (offset, byteOffset) => {
        await putFileStat(drive, path, fileStat(opts, offset, byteOffset, core))
        drive.emit('append', path, opts)
      },
    }
  })
}

/** An empty file at `path` (normalised) when nothing is there; the existing Stat otherwise. */
export async function createFile(
  drive: DriveContext,
  path: string,
  opts: WriteFileOptions,
): Promise<Stat> {
  await drive.ready()
  const { node } = await drive.trie.get(toTrieKey(path))
  if (node) return Stat.decode(node.value)
  checkWritable(drive, path)
  const st = Stat.file({ ...opts })
  await putStat(drive, path, st)
  return st
}

/**
 * Sets the file's size as hyperdrive@10 does: 0 (or a missing file) creates an empty file if
 * absent and otherwise leaves it alone; smaller re-writes the kept bytes; larger appends zeros.
 */
export async function truncateFile(drive: DriveContext, path: string, size: number): Promise<void> {
  if (!Number.isInteger(size) || size < 0)
    throw new InvalidArgumentError(`Invalid size ${size}`, path)
  let st: Stat | null = null
  try {
    st = (await lstatLocated(drive, path, true)).stat
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOENT') throw err
  }
  if (!st || !size) {
    await createFile(drive, path, {})
    return
  }
  if (size === st.size) return
  const ws = fileWriteStream(drive, path, {})
  // Block by block: each kept block is re-appended as one block, as the original does.
  const source = new FileReadStream(() => locateFile(drive, path), {
    length: Math.min(size, st.size),
    blockChunks: true,
  })
  for await (const chunk of source) {
    if (!ws.write(chunk)) await Writable.drained(ws)
  }
  if (size > st.size) ws.write(Buffer.alloc(size - st.size))
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject)
    ws.once('close', () => resolve())
    ws.end(undefined)
  })
}

export async function unlinkFile(drive: DriveContext, path: string): Promise<void> {
  checkWritable(drive, path)
  await drive.ready()
  if (!(await drive.trie.del(toTrieKey(path)))) throw new FileNotFoundError(path)
}
