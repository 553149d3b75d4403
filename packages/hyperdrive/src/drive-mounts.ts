// Mounts: mounting a drive (or a bare core) at a path, unmounting, and listing every mount with
// its metadata and content cores.
import type { DriveCore, DriveTrie } from './drive-backend.js'
import { type DriveContext, checkWritable } from './drive-context.js'
import { putStat, unlinkFile } from './drive-files.js'
import type { MountEntry, MountOptions } from './drive-options.js'
import { statLocated } from './drive-stat.js'
import { InvalidArgumentError, PathAlreadyExistsError } from './errors.js'
import { fixName, toTrieKey } from './paths.js'
import { Stat } from './stat.js'

/** Mounts the drive (or, with `hypercore: true`, the core) `mountKey` at `path` (normalised). */
export async function mountAt(
  drive: DriveContext,
  path: string,
  mountKey: Buffer,
  opts: MountOptions,
): Promise<void> {
  checkWritable(drive, path)
  await drive.ready()
  const { node, trie } = await drive.trie.get(toTrieKey(path))
  if (node) throw new PathAlreadyExistsError(path)
  const content = await drive.contentCores.get(trie)
  const mount = {
    key: mountKey,
    version: opts.version,
    hash: opts.hash,
    hypercore: !!opts.hypercore,
  }
  if (opts.hypercore) {
    const core = drive.corestore.get({ key: mountKey, sparse: drive.sparse })
    await core.ready()
    const st = Stat.file({
      uid: opts.uid,
      gid: opts.gid,
      mount,
      size: core.byteLength,
      blocks: core.length,
      offset: content.length,
      byteOffset: content.byteLength,
    })
    await putStat(drive, path, st)
    return
  }
  const st = Stat.directory({
    uid: opts.uid,
    gid: opts.gid,
    mount,
    offset: content.length,
    byteOffset: content.byteLength,
  })
  drive.markMounted()
  await drive.trie.mount(toTrieKey(path), mountKey, {
    value: st.encode(),
    version: opts.version,
    remotePath: opts.remotePath,
  })
}

export async function unmountAt(drive: DriveContext, path: string): Promise<void> {
  checkWritable(drive, path)
  const st = (await statLocated(drive, path, false)).stat
  if (!st.mount) throw new InvalidArgumentError('Can only unmount mounts.', path)
  if (st.mount.hypercore) await unlinkFile(drive, path)
  else await drive.trie.unmount(toTrieKey(path))
}

async function contentOf(
  drive: DriveContext,
  trie: DriveTrie,
  load: boolean,
): Promise<DriveCore | null> {
  const cached = drive.contentCores.peek(trie.feed)
  if (cached) return cached
  if (load || (await trie.feed.has(0))) return drive.contentCores.get(trie)
  return null
}

/** `/` and every mount (recursively with `recursive`) with their metadata and content cores. */
export async function allMounts(
  drive: DriveContext,
  opts: { recursive?: boolean; content?: boolean },
): Promise<Map<string, MountEntry>> {
  await drive.ready()
  const mounts = new Map<string, MountEntry>()
  mounts.set('/', {
    metadata: drive.metadata!,
    content: await contentOf(drive, drive.trie, !!opts.content),
  })
  for await (const { path, trie } of drive.trie.mountIterator({ recursive: opts.recursive })) {
    mounts.set(fixName(path), {
      metadata: trie.feed,
      content: await contentOf(drive, trie, !!opts.content),
    })
  }
  return mounts
}
