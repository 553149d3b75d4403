// Versions: tags (hidden trie keys holding a version), diffs between versions, and watching.
import type { TrieWatcher } from './drive-backend.js'
import { type DriveContext, checkWritable } from './drive-context.js'
import { toTrieKey } from './paths.js'
import { TAGS_PREFIX, decodeTagVersion, encodeTagVersion, tagKey, tagName } from './tags.js'

/** Tags `version` (default: the current version, before the tag's own block). */
export async function createTag(
  drive: DriveContext,
  name: string,
  version?: number | null,
): Promise<void> {
  const key = tagKey(name)
  checkWritable(drive, '/')
  await drive.ready()
  const v = version ?? drive.version
  await drive.trie.put(key, encodeTagVersion(v), { hidden: true })
}

export async function getTaggedVersion(drive: DriveContext, name: string): Promise<number | null> {
  const key = tagKey(name)
  await drive.ready()
  const { node } = await drive.trie.get(key, { hidden: true })
  return node ? decodeTagVersion(node.value) : null
}

export async function deleteTag(drive: DriveContext, name: string): Promise<void> {
  const key = tagKey(name)
  checkWritable(drive, '/')
  await drive.ready()
  await drive.trie.del(key, { hidden: true })
}

/** Map of tag name to version; an empty array when there are none, as the original. */
export async function getAllTags(drive: DriveContext): Promise<Map<string, number> | []> {
  await drive.ready()
  const nodes = await drive.trie.list(TAGS_PREFIX, { hidden: true })
  if (nodes.length === 0) return []
  const tags = new Map<string, number>()
  for (const node of nodes) tags.set(tagName(node.key), decodeTagVersion(node.value))
  return tags
}

/** Calls `onchange` when anything at or below `path` (normalised) changes. */
export function watchPath(drive: DriveContext, path: string, onchange: () => void): TrieWatcher {
  let inner: TrieWatcher | null = null
  let destroyed = false
  const handle: TrieWatcher = {
    destroy: () => {
      destroyed = true
      inner?.destroy()
      drive.watchers.delete(handle)
    },
  }
  drive.watchers.add(handle)
  drive.ready().then(
    () => {
      if (!destroyed) inner = drive.trie.watch(toTrieKey(path), onchange)
    },
    (err) => drive.emit('error', err),
  )
  return handle
}
