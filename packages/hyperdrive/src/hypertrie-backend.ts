import { posix } from 'node:path'
// The drive's view of @hyperstack/hypertrie's mount-aware trie controller (MountableTrie):
// results carry the trie (and so the metadata core) that owns each path, which is how the
// drive picks the content core of a mounted drive. Mounts are resolved there, not here.
import {
  Hypertrie,
  type HypertrieNode,
  MOUNT_FLAG,
  type MountableTrie as MountController,
  type MountInfo,
  MountableTrie,
  type MountedNode,
  type TrieIterator,
  normalizePath,
} from '@hyperstack/hypertrie'
import type {
  DriveCore,
  DriveCorestore,
  DriveTrie,
  TrieDiffEntry,
  TrieEntry,
  TrieFactory,
  TrieFactoryOptions,
  TrieGetResult,
  TrieIteratorOptions,
  TrieMountInfo,
  TrieMountOptions,
  TriePutOptions,
  TriePutResult,
  TrieWatcher,
} from './drive-backend.js'
import { CoreTrieFeed } from './trie-feed.js'

type Controller = MountController<Buffer>

// The controller's own path translation (a path of the parent as the mounted trie sees it).
function pathToMount(path: string, info: MountInfo): string {
  if (path.length <= info.localPath.length) return normalizePath(info.remotePath)
  const rest = path.slice(info.localPath.length)
  if (!info.remotePath) return normalizePath(rest)
  const joined = posix.join(info.remotePath, rest)
  return joined === '.' ? '' : normalizePath(joined)
}

function mountInfo(info: MountInfo): TrieMountInfo {
  return {
    key: info.key,
    version: info.version,
    localPath: info.localPath,
    remotePath: info.remotePath,
  }
}

const VISIBLE = { hidden: false } as const
const HIDDEN = { hidden: true } as const

/** One adapter per controller (the drive compares tries by identity to share content cores). */
class TrieAdapters {
  private readonly byController = new WeakMap<Controller, HypertrieDriveTrie>()
  private readonly infos = new WeakMap<MountInfo, TrieMountInfo>()

  /** The drive's copy of a controller's mount info, made once per info object (per lookup). */
  info(m: MountInfo): TrieMountInfo {
    const known = this.infos.get(m)
    if (
      known &&
      known.key === m.key &&
      known.version === m.version &&
      known.localPath === m.localPath &&
      known.remotePath === m.remotePath
    )
      return known
    const made = Object.freeze(mountInfo(m))
    this.infos.set(m, made)
    return made
  }

  wrap(c: Controller): HypertrieDriveTrie {
    let t = this.byController.get(c)
    if (!t) {
      t = new HypertrieDriveTrie(c, this)
      this.byController.set(c, t)
    }
    return t
  }
}

export class HypertrieDriveTrie implements DriveTrie {
  constructor(
    readonly controller: Controller,
    private readonly adapters: TrieAdapters,
  ) {}

  /** The metadata core of this trie (the drive's own, or a mounted drive's). */
  get feed(): DriveCore {
    const feed = this.controller.feed
    if (feed instanceof CoreTrieFeed) return feed.core
    throw new TypeError('The trie feed was not opened by the drive')
  }

  get version(): number {
    return this.controller.version
  }

  ready(): Promise<void> {
    return this.controller.ready()
  }

  getMetadata(): Promise<Buffer | null> {
    return this.controller.trie.getMetadata()
  }

  setMetadata(metadata: Buffer): void {
    this.controller.trie.setMetadata(metadata)
  }

  private entry(n: MountedNode<Buffer>): TrieEntry {
    return {
      key: n.key,
      value: n.valueBuffer ?? Buffer.alloc(0),
      seq: n.seq,
      flags: n.flags,
      trie: n.trie === this.controller ? this : this.adapters.wrap(n.trie),
      mount: this.adapters.info(n.mount),
      innerPath: n.innerPath,
    }
  }

  /** The innermost trie owning `path`, following mounts of mounts. */
  private async owner(path: string): Promise<{ trie: Controller; info: MountInfo; inner: string }> {
    let trie = this.controller
    let { trie: next, info } = await trie.loadMount(path)
    let inner = path
    let rootInfo = info
    while (next !== trie) {
      inner = pathToMount(inner, info)
      trie = next
      rootInfo = info
      ;({ trie: next, info } = await trie.loadMount(inner))
    }
    return { trie, info: rootInfo, inner }
  }

  async get(key: string, opts: { hidden?: boolean } = {}): Promise<TrieGetResult> {
    const node = await this.controller.get(key, opts.hidden ? HIDDEN : VISIBLE)
    if (node) {
      const e = this.entry(node)
      return { node: e, trie: e.trie, mount: e.mount, innerPath: e.innerPath }
    }
    if (opts.hidden) {
      return { node: null, trie: this, mount: mountInfo(this.controller.info), innerPath: key }
    }
    const { trie, info, inner } = await this.owner(key)
    return { node: null, trie: this.adapters.wrap(trie), mount: mountInfo(info), innerPath: inner }
  }

  async put(key: string, value: Buffer, opts: TriePutOptions = {}): Promise<TriePutResult> {
    const check = opts.condition
    const node = await this.controller.put(key, value, {
      hidden: opts.hidden,
      flags: opts.flags,
      condition: check
        ? async (existing) => {
            await check(
              existing
                ? { value: existing.valueBuffer ?? Buffer.alloc(0), flags: existing.flags }
                : null,
            )
            return true
          }
        : null,
    })
    return {
      seq: node.seq,
      trie: node.trie === this.controller ? this : this.adapters.wrap(node.trie),
    }
  }

  async del(key: string, opts: { hidden?: boolean } = {}): Promise<boolean> {
    return (await this.controller.del(key, { hidden: opts.hidden })) !== null
  }

  async *iterator(prefix: string, opts: TrieIteratorOptions = {}): AsyncGenerator<TrieEntry> {
    for await (const n of this.controller.iterator(prefix, opts)) yield this.entry(n)
  }

  async scan(
    prefix: string,
    opts: TrieIteratorOptions,
    visit: (key: string, node: { readonly valueBuffer: Buffer | null }) => void,
  ): Promise<boolean> {
    const controller = this.controller
    if ((await controller.loadMount(prefix)).trie !== controller) return false
    // The prefix lies in this trie: its plain iterator gives the same nodes as the controller's
    // (which wraps it in two generator layers per entry), unless a mount has to be entered.
    const it = controller.trie.iterator(prefix, {
      recursive: opts.recursive,
      hidden: opts.hidden,
      gt: false,
    })
    const nests = !opts.noMounts
    const gt = !!opts.gt
    const feed = controller.trie.feed
    const listing = feed instanceof CoreTrieFeed ? feed : null
    listing?.beginListing()
    try {
      for (;;) {
        // the stored nodes, not the public ones: no value decoded (or even viewed) per entry,
        // and no promise per entry while the nodes are at hand
        let n = it.nextNodeSync()
        if (n === undefined) n = await it.nextNode()
        if (n === null) break
        if (nests && n.userFlags === MOUNT_FLAG && (opts.recursive || n.key === prefix))
          return false
        if (gt && n.key === prefix) continue
        visit(n.key, n)
      }
    } finally {
      listing?.endListing()
    }
    return true
  }

  async list(prefix: string, opts: { hidden?: boolean } = {}): Promise<TrieEntry[]> {
    return (await this.controller.list(prefix, opts)).map((n) => this.entry(n))
  }

  async mount(key: string, mountKey: Buffer, opts: TrieMountOptions = {}): Promise<void> {
    await this.controller.mount(key, mountKey, {
      value: opts.value ?? null,
      version: opts.version ?? null,
      remotePath: opts.remotePath ?? null,
    })
  }

  unmount(key: string): Promise<void> {
    return this.controller.unmount(key)
  }

  async *mountIterator(
    opts: { recursive?: boolean } = {},
  ): AsyncGenerator<{ path: string; trie: DriveTrie }> {
    for await (const m of this.controller.mountIterator(opts)) {
      yield { path: m.path, trie: this.adapters.wrap(m.trie) }
    }
  }

  checkout(version: number): DriveTrie {
    return this.adapters.wrap(this.controller.checkout(version))
  }

  async *diff(other: number, prefix: string): AsyncGenerator<TrieDiffEntry> {
    for await (const d of this.controller.diff(other, prefix)) {
      const left = d.left && !('info' in d.left) ? d.left : null
      const right = d.right && !('info' in d.right) ? d.right : null
      yield {
        type: d.type,
        key: d.key,
        left: left ? { seq: left.seq, value: left.valueBuffer ?? Buffer.alloc(0) } : null,
        right: right ? { seq: right.seq } : null,
        info: d.left && 'info' in d.left ? d.left.info : undefined,
      }
    }
  }

  watch(key: string, onchange: () => void): TrieWatcher {
    return this.controller.watch(key, onchange)
  }

  close(): Promise<void> {
    return this.controller.close()
  }
}

// One trie per core, as mountable-hypertrie keeps one per feed: a drive and a mount of it in
// the same corestore share it (and its lookup extension, which a core registers once).
const triesByCore = new WeakMap<DriveCore, Hypertrie<Buffer>>()

/**
 * Trie nodes a drive's trie keeps decoded: hypertrie@5's default (32768). A cached node costs
 * ~650 bytes here (node, key strings, its own value buffer), so hypertrie's larger default made
 * a big drive's build hold ~85 MiB of nodes (and V8 about twice that before collecting), while
 * the nodes a put or lookup walks again (the trie's upper levels) fit in far fewer.
 */
const TRIE_CACHE_SIZE = 32768

function openTrie(core: DriveCore, opts: TrieFactoryOptions): Hypertrie<Buffer> {
  let trie = triesByCore.get(core)
  if (!trie) {
    trie = new Hypertrie<Buffer>(null, {
      feed: new CoreTrieFeed(core),
      sparse: opts.sparse,
      subtype: opts.subtype,
      extension: opts.extension,
      alwaysUpdate: !core.writable,
      cacheSize: TRIE_CACHE_SIZE,
    })
    triesByCore.set(core, trie)
  }
  return trie
}

/** The production trie factory: @hyperstack/hypertrie's MountableTrie over the metadata core. */
export const hypertrieFactory: TrieFactory = (store, metadata, opts) => {
  const controller = new MountableTrie<Buffer>(openTrie(metadata, opts), {
    getTrie: async (key) => {
      const core = store.get({ key, sparse: opts.sparse, allowPush: true })
      await core.ready()
      return openTrie(core, opts)
    },
  })
  return new TrieAdapters().wrap(controller)
}
