// A read whose stream fails leaves no broken stream behind: the next read (a retry after, say, a
// peer's timeout) starts a fresh one instead of taking the dead stream's end for the file's end.
import { describe, expect, it } from 'vitest'
import { type ChunkSource, type FdDrive, FileDescriptor } from '../src/file-descriptor.js'
import { parseOpenFlags } from '../src/open-flags.js'

function source(chunks: Buffer[], failFirst: boolean): ChunkSource {
  return {
    destroy() {},
    async *[Symbol.asyncIterator]() {
      if (failFirst) throw Object.assign(new Error('peer timed out'), { code: 'ERR_TIMEOUT' })
      yield* chunks
    },
  }
}

describe('FileDescriptor reads after a failure', () => {
  it('retries with a fresh stream', async () => {
    const data = Buffer.from('0123456789')
    const opened: string[] = []
    const drive: FdDrive = {
      createReadStream: (_name, { start, length }) => {
        opened.push(`${start}+${length ?? 'rest'}`)
        const end = length === undefined ? data.length : start + length
        // The open-ended stream sequential reads go on with fails, once.
        const fail = length === undefined && opened.filter((o) => o.endsWith('rest')).length === 1
        return source([data.subarray(start, end)], fail)
      },
      createWriteStream: () => {
        throw new Error('not used')
      },
      truncate: async () => {},
      writeFile: async () => {},
    }
    const fd = new FileDescriptor(drive, 20, '/f', parseOpenFlags('r'), data.length, {})
    const out = Buffer.alloc(4)

    expect(await fd.read(out, 0, 4, null)).toBe(4)
    await expect(fd.read(out, 0, 4, null)).rejects.toMatchObject({ code: 'ERR_TIMEOUT' })
    expect(await fd.read(out, 0, 4, 4)).toBe(4)
    expect(out.toString()).toBe('4567')
    expect(opened).toEqual(['0+4', '4+rest', '4+4'])
  })
})
