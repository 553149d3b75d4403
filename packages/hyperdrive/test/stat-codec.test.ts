// Stat/Mount codec against hyperdrive-schemas@2: vectors, properties vs the original, hostile bytes.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  InvalidEncodingError,
  Stat,
  type StatFields,
  decodeIndex,
  decodeStat,
  encodeIndex,
  encodeStat,
} from '../src/index.js'
import { originalSchemas } from './helpers/originals.js'
import { type BasicVectors, type VectorStat, loadVectors } from './helpers/vectors.js'

const vectors = loadVectors<BasicVectors>('hyperdrive-basic.json')
const OrigStat = originalSchemas.messages.Stat

function statToVector(st: Stat): VectorStat {
  const metadata: Record<string, string> = {}
  for (const [k, v] of Object.entries(st.metadata ?? {})) {
    metadata[k] = v === null ? '' : Buffer.from(v).toString('hex')
  }
  const m = st.mount
  return {
    mode: st.mode,
    uid: st.uid,
    gid: st.gid,
    size: st.size,
    blocks: st.blocks,
    offset: st.offset,
    byteOffset: st.byteOffset,
    mtime: st.mtime.getTime(),
    ctime: st.ctime.getTime(),
    linkname: st.linkname,
    mount: m
      ? {
          key: Buffer.from(m.key).toString('hex'),
          version: m.version ?? 0,
          hash: m.hash ? Buffer.from(m.hash).toString('hex') : null,
          hypercore: !!m.hypercore,
        }
      : null,
    metadata,
  }
}

const statBlocks = [...vectors.metadataBlocks, ...vectors.mountedDrive.metadataBlocks].filter(
  (b) => b.node?.decodedValue.kind === 'Stat',
)

describe('Stat codec vectors (hyperdrive-basic.json)', () => {
  it('has Stat blocks to check', () => {
    expect(statBlocks.length).toBe(17)
  })

  for (const block of statBlocks) {
    const node = block.node!
    it(`decodes ${node.key} (seq ${node.seq})`, () => {
      const st = Stat.decode(Buffer.from(node.value, 'hex'))
      const {
        kind: _kind,
        modeOctal: _octal,
        ...expected
      } = node.decodedValue as VectorStat & {
        kind: string
        modeOctal: string
      }
      expect(statToVector(st)).toEqual(expected)
    })

    it(`re-encodes ${node.key} (seq ${node.seq}) as the original re-encodes it`, () => {
      const bytes = Buffer.from(node.value, 'hex')
      const theirs = OrigStat.encode(OrigStat.decode(bytes))
      expect(encodeStat(decodeStat(bytes)).toString('hex')).toBe(theirs.toString('hex'))
    })
  }

  it('writes the /hello.txt Stat of the spec example byte for byte', () => {
    const st = Stat.file({ size: 5, blocks: 1, offset: 0, byteOffset: 0, mtime: 1598961600000 })
    st.ctime = new Date(1598961600000)
    expect(st.encode().toString('hex')).toBe(
      '08a4830210001800200528013000380040808ca7ccc42e48808ca7ccc42e',
    )
  })

  it('writes a mount Stat like vector block 8 (version absent, hypercore false)', () => {
    const block = vectors.metadataBlocks.find((b) => b.node?.key === 'mounted')!
    const st = Stat.directory({
      mount: {
        key: Buffer.from('2a6f18049f29a10ab4d84343d26de16aca395271e88d2195115098fd10d21a27', 'hex'),
        hypercore: false,
      },
      offset: 3,
      byteOffset: 100005,
      mtime: 1598961600000,
      ctime: 1598961600000,
    })
    expect(st.encode().toString('hex')).toBe(block.node!.value)
  })

  it('writes metadata like vector block 15 (author=spec)', () => {
    const block = vectors.metadataBlocks.find((b) => b.seq === 15)!
    const st = Stat.file({
      size: 5,
      blocks: 1,
      mtime: 1598961600000,
      ctime: 1598961600000,
      metadata: { author: Buffer.from('spec') },
    })
    expect(st.encode().toString('hex')).toBe(block.node!.value)
  })
})

describe('Stat class', () => {
  it('has the original modes and type tests', () => {
    expect(Stat.file().mode).toBe(0o100644)
    expect(Stat.directory().mode).toBe(0o40755)
    expect(Stat.symlink().mode).toBe(0o120644)
    expect(Stat.file({ mode: 0o600 }).mode).toBe(0o100600)
    const link = Stat.symlink({ linkname: '/x' })
    expect(link.isSymbolicLink()).toBe(true)
    // Quirk kept from the original: the IFLNK bits contain IFREG.
    expect(link.isFile()).toBe(true)
    expect(Stat.directory().isDirectory()).toBe(true)
    expect(Stat.directory().isFile()).toBe(false)
    expect(Stat.file().isDirectory()).toBe(false)
    expect(Stat.file().linkname).toBe(null)
    expect(Stat.file().metadata).toBe(null)
    expect(Stat.file().nlink).toBe(1)
  })

  it('turns a stored time of 0 into now, as the original', () => {
    const before = Date.now()
    const st = Stat.decode(Stat.file({ mtime: 5 }).encode())
    expect(st.mtime.getTime()).toBe(5)
    const zero = Stat.decode(Buffer.from('08a48302', 'hex'))
    expect(zero.ctime.getTime()).toBeGreaterThanOrEqual(before)
  })

  it('keeps a key-only metadata entry (removeMetadata) as null', () => {
    const st = Stat.file({ metadata: { a: Buffer.from('x'), b: null } })
    const back = Stat.decode(st.encode())
    expect(back.metadata).toEqual({ a: Buffer.from('x'), b: null })
    expect(st.encode().equals(OrigStat.encode(st))).toBe(true)
  })
})

const uint = fc.integer({ min: 0, max: 2 ** 40 })
const smallUint = fc.integer({ min: 0, max: 2 ** 32 - 1 })
const statArb: fc.Arbitrary<StatFields> = fc.record(
  {
    mode: smallUint,
    uid: smallUint,
    gid: smallUint,
    size: uint,
    blocks: uint,
    offset: uint,
    byteOffset: uint,
    mtime: uint,
    ctime: uint,
    linkname: fc.string(),
    mount: fc.record(
      {
        key: fc.uint8Array({ maxLength: 40 }),
        version: uint,
        hash: fc.uint8Array({ maxLength: 40 }),
        hypercore: fc.boolean(),
      },
      { requiredKeys: ['key'] },
    ),
    metadata: fc.dictionary(
      fc.string({ maxLength: 8 }),
      fc.option(fc.uint8Array({ maxLength: 16 }), { nil: null }),
    ),
  },
  { requiredKeys: ['mode'] },
)

function toOriginalInput(s: StatFields): object {
  const metadata = s.metadata
    ? Object.fromEntries(
        Object.entries(s.metadata).map(([k, v]) => [k, v === null ? null : Buffer.from(v)]),
      )
    : undefined
  const mount = s.mount
    ? {
        ...s.mount,
        key: Buffer.from(s.mount.key),
        hash: s.mount.hash ? Buffer.from(s.mount.hash) : s.mount.hash,
      }
    : undefined
  return { ...s, mount, metadata }
}

describe('Stat codec properties', () => {
  it('encodes every Stat exactly as hyperdrive-schemas does', () => {
    fc.assert(
      fc.property(statArb, (s) => {
        const ours = encodeStat(s)
        const theirs = OrigStat.encode(toOriginalInput(s))
        expect(ours.toString('hex')).toBe(Buffer.from(theirs).toString('hex'))
      }),
      { numRuns: 500 },
    )
  })

  it('decodes what it encodes', () => {
    fc.assert(
      fc.property(statArb, (s) => {
        const d = decodeStat(encodeStat(s))
        expect(d.mode).toBe(s.mode)
        expect(d.size).toBe(s.size ?? 0)
        expect(d.mtime).toBe(s.mtime ?? 0)
        expect(d.linkname).toBe(s.linkname ?? '')
        if (s.mount) {
          expect(d.mount?.key).toEqual(Buffer.from(s.mount.key))
          expect(d.mount?.hypercore).toBe(s.mount.hypercore ?? false)
        }
        for (const [k, v] of Object.entries(s.metadata ?? {})) {
          expect(d.metadata[k]).toEqual(v === null ? null : Buffer.from(v))
        }
      }),
      { numRuns: 300 },
    )
  })

  it('decodes what the original writes to the same values', () => {
    fc.assert(
      fc.property(statArb, (s) => {
        const bytes = OrigStat.encode(toOriginalInput(s))
        const theirs = OrigStat.decode(bytes)
        const ours = decodeStat(bytes)
        expect(ours.mode).toBe(theirs.mode)
        expect(ours.byteOffset).toBe(theirs.byteOffset)
        expect(ours.ctime).toBe(theirs.ctime)
        expect(ours.linkname).toBe(theirs.linkname)
        expect({ ...ours.metadata }).toEqual(theirs.metadata)
      }),
      { numRuns: 300 },
    )
  })

  it('never throws anything but InvalidEncodingError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          decodeStat(bytes)
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidEncodingError)
        }
      }),
      { numRuns: 2000 },
    )
  })

  it('never throws anything but InvalidEncodingError on mutated valid Stats', () => {
    fc.assert(
      fc.property(
        statArb,
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        fc.nat(),
        (s, pos, byte, cut) => {
          const bytes = Buffer.from(encodeStat(s))
          bytes[pos % bytes.length] = byte
          try {
            decodeStat(bytes.subarray(0, bytes.length - (cut % 4)))
          } catch (err) {
            expect(err).toBeInstanceOf(InvalidEncodingError)
          }
        },
      ),
      { numRuns: 1000 },
    )
  })
})

describe('hostile Stat bytes', () => {
  const bad: [string, string][] = [
    ['empty', ''],
    ['no mode', '1000'],
    ['truncated varint', '0880'],
    ['varint over 2^53', '08ffffffffffffffff7f'],
    ['length past end', '08a483025205612e62'],
    ['mode with wire type 2', '0a0100'],
    ['mount without key', '08ed83015a021001'],
    ['metadata entry without key', '08a4830262021200'],
    ['unknown wire type 3', '08a483021b'],
    ['fixed64 past end', '08a4830279010203'],
  ]
  for (const [name, hex] of bad) {
    it(`refuses ${name}`, () => {
      expect(() => Stat.decode(Buffer.from(hex, 'hex'))).toThrow(InvalidEncodingError)
    })
  }

  it('keeps "__proto__" as a plain metadata key', () => {
    const bytes = encodeStat({ mode: 0o100644, metadata: { ['__proto__']: Buffer.from('x') } })
    const d = decodeStat(bytes)
    expect(Object.keys(d.metadata)).toEqual(['__proto__'])
    expect(Object.getPrototypeOf(d.metadata)).toBe(null)
  })

  it('skips unknown fields as the original does', () => {
    const st = Stat.decode(Buffer.from('08a48302f80701', 'hex'))
    expect(st.mode).toBe(0o100644)
  })
})

describe('Index message', () => {
  it('round-trips and matches the original', () => {
    fc.assert(
      fc.property(fc.string(), fc.option(fc.uint8Array(), { nil: null }), (type, content) => {
        const ours = encodeIndex({ type, content })
        const theirs = originalSchemas.messages.Index.encode({
          type,
          content: content ? Buffer.from(content) : content,
        })
        expect(ours.equals(theirs)).toBe(true)
        expect(decodeIndex(ours)).toEqual({
          type,
          content: content ? Buffer.from(content) : null,
        })
      }),
    )
    expect(() => decodeIndex(Buffer.from('1200', 'hex'))).toThrow(InvalidEncodingError)
  })
})
