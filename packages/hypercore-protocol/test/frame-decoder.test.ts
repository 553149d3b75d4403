// The incremental frame decoder: every split of the byte stream yields the same frames; oversized,
// overlong and random input raise typed errors, never buffering more than one bounded frame.
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  FrameDecoder,
  FrameTooLargeError,
  InvalidFrameError,
  MAX_FRAME_SIZE,
  ProtocolError,
} from '../src/index.js'

interface Frame {
  channel: number
  type: number
  body: string
}

function varint(n: number): number[] {
  const out: number[] = []
  while (n >= 0x80) {
    out.push((n % 128) | 0x80)
    n = Math.floor(n / 128)
  }
  out.push(n)
  return out
}

function encodeFrame(f: Frame): Buffer {
  const body = Buffer.from(f.body, 'hex')
  const header = varint(f.channel * 16 + f.type)
  return Buffer.concat([
    Buffer.from(varint(header.length + body.byteLength)),
    Buffer.from(header),
    body,
  ])
}

function collect(chunks: Buffer[]): Frame[] {
  const out: Frame[] = []
  const d = new FrameDecoder((channel, type, buf, start, end) => {
    out.push({ channel, type, body: buf.subarray(start, end).toString('hex') })
  })
  for (const c of chunks) d.push(c)
  return out
}

/** Splits `buf` at the given cut points. */
function split(buf: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buf.byteLength + 1)))].sort((a, b) => a - b)
  const out: Buffer[] = []
  let prev = 0
  for (const p of points) {
    out.push(buf.subarray(prev, p))
    prev = p
  }
  out.push(buf.subarray(prev))
  return out
}

const frameArb = fc.record({
  channel: fc.oneof(fc.nat(7), fc.nat(100000)),
  type: fc.nat(15),
  body: fc
    .oneof(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ minLength: 100, maxLength: 400 }))
    .map((u) => Buffer.from(u).toString('hex')),
})

describe('FrameDecoder', () => {
  it('yields the same frames whatever the chunk split (incl. keep-alives)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(frameArb, fc.constant(null)), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (frames, cuts) => {
          const bytes = Buffer.concat(
            frames.map((f) => (f === null ? Buffer.from([0]) : encodeFrame(f))),
          )
          const expected = frames.filter((f): f is Frame => f !== null)
          expect(collect(split(bytes, cuts))).toEqual(expected)
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('accepts 1-byte chunks', () => {
    const frames: Frame[] = [
      { channel: 1, type: 0, body: 'aa'.repeat(70) },
      { channel: 0, type: 15, body: '01' },
      { channel: 3, type: 10, body: '' },
    ]
    const bytes = Buffer.concat(frames.map(encodeFrame))
    const chunks = [...bytes].map((b) => Buffer.from([b]))
    expect(collect(chunks)).toEqual(frames)
  })

  describe('gathering a body that spans chunks', () => {
    afterEach(() => {
      vi.restoreAllMocks()
    })

    /** Sizes of the buffers of 1 KiB or more the decoder allocates while `chunks` are pushed. */
    function gatherAllocations(chunks: Buffer[]): number[] {
      const sizes: number[] = []
      const allocUnsafe = Buffer.allocUnsafe
      vi.spyOn(Buffer, 'allocUnsafe').mockImplementation((size: number) => {
        if (size >= 1024) sizes.push(size)
        return allocUnsafe(size)
      })
      const d = new FrameDecoder(() => {})
      for (const chunk of chunks) d.push(chunk)
      return sizes
    }

    it('gathers a 64 KiB block frame with one buffer of its size', () => {
      // A Data frame of a 64 KiB block arrives over two 64 KiB socket reads.
      const body = Buffer.alloc(65 * 1024 + 300, 7)
      const frame = encodeFrame({ channel: 1, type: 9, body: body.toString('hex') })
      const sizes = gatherAllocations([frame.subarray(0, 65536), frame.subarray(65536)])
      expect(sizes).toEqual([body.byteLength])
      const got: Buffer[] = []
      const d = new FrameDecoder((_c, _t, buf, start, end) => got.push(buf.subarray(start, end)))
      d.push(frame.subarray(0, 65536))
      d.push(frame.subarray(65536))
      expect(got).toHaveLength(1)
      expect(got[0].equals(body)).toBe(true)
    })

    it('grows a large announced body with the bytes received, not the length announced', () => {
      const announced = MAX_FRAME_SIZE
      const start = Buffer.from([...varint(announced + 1), 0x19])
      const sizes = gatherAllocations([Buffer.concat([start, Buffer.alloc(1000)])])
      expect(Math.max(...sizes)).toBeLessThanOrEqual(16 * 1024)
    })
  })

  it('rejects a frame over MAX_FRAME_SIZE from its length prefix alone', () => {
    const d = new FrameDecoder(() => {})
    const prefix = Buffer.from(varint(MAX_FRAME_SIZE + 100))
    let error: unknown = null
    try {
      d.push(prefix)
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(FrameTooLargeError)
    expect((error as FrameTooLargeError).code).toBe('ERR_FRAME_TOO_LARGE')
  })

  it('accepts a body of exactly MAX_FRAME_SIZE and rejects one byte more', () => {
    const ok = new FrameDecoder(() => {})
    const header = [0x19]
    ok.push(Buffer.from([...varint(MAX_FRAME_SIZE + 1), ...header]))
    const tooBig = new FrameDecoder(() => {})
    expect(() => tooBig.push(Buffer.from([...varint(MAX_FRAME_SIZE + 2), ...header]))).toThrow(
      FrameTooLargeError,
    )
  })

  it('honours a smaller configured maximum', () => {
    const d = new FrameDecoder(() => {}, 1024)
    expect(() => d.push(encodeFrame({ channel: 1, type: 9, body: '00'.repeat(1025) }))).toThrow(
      FrameTooLargeError,
    )
  })

  it('honours a smaller configured maximum for short whole frames too', () => {
    for (const bodyLength of [20, 126, 200]) {
      const d = new FrameDecoder(() => {}, 16)
      expect(() =>
        d.push(encodeFrame({ channel: 1, type: 9, body: '00'.repeat(bodyLength) })),
      ).toThrow(FrameTooLargeError)
    }
  })

  it('reads a non-minimal 2-byte length varint like the original (value of the low bits)', () => {
    // 0x83 0x00 is the length 3 written in two bytes: header 0x19, body 'abcd'.
    const bytes = Buffer.from([0x83, 0x00, 0x19, 0xab, 0xcd, 0x02, 0x19, 0xee])
    expect(collect([bytes])).toEqual([
      { channel: 1, type: 9, body: 'abcd' },
      { channel: 1, type: 9, body: 'ee' },
    ])
  })

  it('rejects overlong varints', () => {
    const d = new FrameDecoder(() => {})
    expect(() => d.push(Buffer.alloc(9, 0x80))).toThrow(InvalidFrameError)
  })

  it('rejects a header longer than the frame it sits in', () => {
    const d = new FrameDecoder(() => {})
    // L = 1 but the header varint takes 2 bytes.
    expect(() => d.push(Buffer.from([0x01, 0x90, 0x01]))).toThrow(InvalidFrameError)
  })

  it('random input throws only typed protocol errors', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), (chunks) => {
        const d = new FrameDecoder(() => {})
        try {
          for (const c of chunks) d.push(Buffer.from(c))
        } catch (err) {
          expect(err).toBeInstanceOf(ProtocolError)
        }
      }),
      { numRuns: 3000 },
    )
  })
})
