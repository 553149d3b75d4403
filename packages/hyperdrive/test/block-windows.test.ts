// Listings read trie blocks in windows: the split of a window into blocks matches the blocks
// read one by one, windows start only after repeated misses, give up when wasted, and a big
// directory lists the same names, in the same order, as the listing that decodes every Stat.
import { Hypercore } from '@hyperstack/hypercore'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { BlockWindows, WINDOW_BLOCKS, type WindowedCore } from '../src/block-windows.js'
import { type DriveCore, Hyperdrive } from '../src/index.js'
import { nodeBlockEnds } from '../src/messages/node-blocks.js'
import { CoreTrieFeed } from '../src/trie-feed.js'
import { tempDir } from './helpers/tmp.js'

const FILES = 3000
let dir: { path: string; remove: () => Promise<void> }

beforeAll(async () => {
  dir = await tempDir()
  const drive = new Hyperdrive(dir.path)
  await drive.ready()
  for (let i = 0; i < FILES; i += 500) {
    const writes: Promise<void>[] = []
    for (let k = i; k < i + 500; k++) writes.push(drive.writeFile(`/big/file${k}`, 'x'))
    await Promise.all(writes)
  }
  await drive.close()
}, 60_000)

afterAll(async () => {
  await dir.remove()
})

/** The drive on disk opened afresh (cold caches), closed after `fn`. */
async function withDrive<T>(fn: (drive: Hyperdrive, core: DriveCore) => Promise<T>): Promise<T> {
  const drive = new Hyperdrive(dir.path)
  await drive.ready()
  try {
    return await fn(drive, drive.metadata!)
  } finally {
    await drive.close()
  }
}

async function blocksOf(core: DriveCore, start: number, end: number): Promise<Buffer[]> {
  const out: Buffer[] = []
  for (let i = start; i < end; i++) out.push((await core.get(i)) as Buffer)
  return out
}

/** The metadata core as windows see it, counting range reads. */
function counted(core: DriveCore): { core: WindowedCore; ranges: () => number } {
  let ranges = 0
  return {
    core: {
      has: (start, end) => core.has(start, end),
      getRange: (start, end) => {
        ranges++
        return core.getRange!(start, end)
      },
    },
    ranges: () => ranges,
  }
}

describe('nodeBlockEnds', () => {
  it('splits a run of trie node blocks exactly where each block ends', async () => {
    await withDrive(async (_drive, core) => {
      const blocks = await blocksOf(core, 1, 700)
      const ends = nodeBlockEnds(Buffer.concat(blocks), 1, blocks.length)
      expect(ends).not.toBeNull()
      let at = 0
      blocks.forEach((b, k) => {
        at += b.length
        expect(ends![k]).toBe(at)
      })
    })
  })

  it('refuses bytes that do not split into the named blocks', async () => {
    await withDrive(async (_drive, core) => {
      const bytes = Buffer.concat(await blocksOf(core, 1, 6))
      expect(nodeBlockEnds(bytes, 2, 5)).toBeNull() // wrong first index
      expect(nodeBlockEnds(bytes, 1, 4)).toBeNull() // too few blocks named
      expect(nodeBlockEnds(bytes, 1, 6)).toBeNull() // too many
      expect(nodeBlockEnds(bytes.subarray(0, bytes.length - 1), 1, 5)).toBeNull() // truncated
      expect(nodeBlockEnds(Buffer.from([0xff, 0xff]), 1, 1)).toBeNull() // garbage
      const header = (await core.get(0)) as Buffer
      expect(nodeBlockEnds(Buffer.concat([header, bytes]), 0, 6)).toBeNull() // not a node
    })
  })
})

describe('BlockWindows', () => {
  it('reads a window on the fourth miss in it and hands out the blocks', async () => {
    await withDrive(async (_drive, core) => {
      const { core: windowed, ranges } = counted(core)
      const windows = new BlockWindows(windowed, () => core.length)
      for (let i = 1; i < 4; i++) expect(windows.get(i)).toBeNull()
      expect(ranges()).toBe(0)
      expect(windows.peek(4)).toBeNull() // peek never reads
      const blocks = await blocksOf(core, 0, WINDOW_BLOCKS)
      expect(await windows.get(4)).toEqual(blocks[4])
      expect(ranges()).toBe(1)
      for (let i = 1; i < WINDOW_BLOCKS; i++) {
        const got = windows.get(i)
        expect(got).toBeInstanceOf(Buffer)
        expect(got).toEqual(blocks[i])
        expect(windows.peek(i)).toEqual(blocks[i])
      }
      expect(windows.get(0)).toBeNull() // the header is never windowed
      expect(ranges()).toBe(1)
      windows.clear()
      expect(windows.peek(3)).toBeNull()
      expect(windows.get(3)).toBeNull()
    })
  })

  it('reads blocks alone when a window is not all stored or does not split', async () => {
    await withDrive(async (_drive, core) => {
      const missing: WindowedCore = {
        has: () => false,
        getRange: () => Promise.reject(new Error('not stored')),
      }
      const sparse = new BlockWindows(missing, () => core.length)
      for (let i = 0; i < 20; i++) expect(await sparse.get(1)).toBeNull()
      const garbled: WindowedCore = {
        has: () => true,
        getRange: async (start, end) => Buffer.alloc((end - start) * 40, 0xff),
      }
      const bad = new BlockWindows(garbled, () => core.length)
      for (let i = 0; i < 20; i++) expect(await bad.get(2)).toBeNull()
    })
  })

  it('gives up after four windows evicted before serving much', async () => {
    await withDrive(async (_drive, core) => {
      const { core: windowed, ranges } = counted(core)
      // a 1-byte budget evicts every window as soon as it is read, unused
      const windows = new BlockWindows(windowed, () => core.length, 1)
      for (let w = 0; w < 5; w++)
        for (let m = 1; m <= 4; m++) await windows.get(w * WINDOW_BLOCKS + m)
      expect(ranges()).toBe(4)
      windows.clear()
      for (let m = 1; m <= 4; m++) await windows.get(m)
      expect(ranges()).toBe(5)
    })
  })
})

describe('CoreTrieFeed windows', () => {
  it('serve blocks (and getCached) only while a listing runs', async () => {
    await withDrive(async (_drive, core) => {
      const feed = new CoreTrieFeed(core)
      const blocks = await blocksOf(core, 0, 20)
      for (let i = 1; i < 10; i++) expect(await feed.get(i)).toEqual(blocks[i])
      expect(feed.getCached(5)).toBeNull() // no listing: no windows
      feed.beginListing()
      feed.beginListing()
      for (let i = 1; i < 5; i++) expect(await feed.get(i)).toEqual(blocks[i])
      for (let i = 1; i < 20; i++) expect(feed.getCached(i)).toEqual(blocks[i])
      expect(feed.getCached(0)).toBeNull()
      feed.endListing()
      expect(feed.getCached(5)).toEqual(blocks[5]) // one listing still runs
      feed.endListing()
      expect(feed.getCached(5)).toBeNull()
    })
  })
})

describe('readdir of a big directory', () => {
  it('lists the same names in the same order as the entry listing, through windows', async () => {
    const spy = vi.spyOn(Hypercore.prototype, 'getRange')
    try {
      const names = await withDrive((drive) => drive.readdir('/big'))
      expect(spy).toHaveBeenCalled()
      const entries = await withDrive((drive) => drive.readdir('/big', { includeStats: true }))
      expect(names.length).toBe(FILES)
      expect(names).toEqual(entries.map((e) => e.name))
      expect(names.slice().sort()).toEqual(
        Array.from({ length: FILES }, (_, i) => `file${i}`).sort(),
      )
    } finally {
      spy.mockRestore()
    }
  })
})
