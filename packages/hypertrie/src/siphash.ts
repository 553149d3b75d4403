// SipHash-2-4 with the all-zero key (what hypertrie@5 gets from sodium's crypto_shorthash), in
// JS over a byte range in place: decoding a node hashes its key's components straight out of the
// block it was read from, with no view per component and no native call.

// The initial state "somepseudorandomlygeneratedbytes" xor the zero key, as 32-bit halves.
const V0_HI = 0x736f6d65
const V0_LO = 0x70736575
const V1_HI = 0x646f7261
const V1_LO = 0x6e646f6d
const V2_HI = 0x6c796765
const V2_LO = 0x6e657261
const V3_HI = 0x74656462
const V3_LO = 0x79746573

/**
 * Writes the 8-byte SipHash-2-4 (zero key) of `src[from, to)` into `out` at `at`, little endian
 * as crypto_shorthash writes it.
 */
export function sipHashInto(
  src: Uint8Array,
  from: number,
  to: number,
  out: Uint8Array,
  at: number,
): void {
  let v0h = V0_HI
  let v0l = V0_LO
  let v1h = V1_HI
  let v1l = V1_LO
  let v2h = V2_HI
  let v2l = V2_LO
  let v3h = V3_HI
  let v3l = V3_LO
  const len = to - from
  const whole = from + (len - (len & 7))
  let p = from
  let last = false
  // the words, then the last one (the tail bytes and the length in its top byte), then the
  // finalisation: the same two or four rounds, so one loop runs them all
  for (;;) {
    let mh = 0
    let ml = 0
    let rounds = 2
    if (last) {
      v2l ^= 0xff
      rounds = 4
    } else if (p < whole) {
      ml = src[p] | (src[p + 1] << 8) | (src[p + 2] << 16) | (src[p + 3] << 24)
      mh = src[p + 4] | (src[p + 5] << 8) | (src[p + 6] << 16) | (src[p + 7] << 24)
      p += 8
    } else {
      const tail = to - p
      mh = (len & 0xff) << 24
      if (tail > 6) mh |= src[p + 6] << 16
      if (tail > 5) mh |= src[p + 5] << 8
      if (tail > 4) mh |= src[p + 4]
      if (tail > 3) ml |= src[p + 3] << 24
      if (tail > 2) ml |= src[p + 2] << 16
      if (tail > 1) ml |= src[p + 1] << 8
      if (tail > 0) ml |= src[p]
      last = true
    }
    if (rounds === 2) {
      v3h ^= mh
      v3l ^= ml
    }
    for (let r = 0; r < rounds; r++) {
      // v0 += v1; v1 = rotl(v1, 13) ^ v0; v0 = rotl(v0, 32)
      let lo = (v0l + v1l) >>> 0
      v0h = (v0h + v1h + (lo < v0l >>> 0 ? 1 : 0)) | 0
      v0l = lo
      let th = (v1h << 13) | (v1l >>> 19)
      let tl = (v1l << 13) | (v1h >>> 19)
      v1h = th ^ v0h
      v1l = tl ^ v0l
      let sw = v0h
      v0h = v0l
      v0l = sw
      // v2 += v3; v3 = rotl(v3, 16) ^ v2
      lo = (v2l + v3l) >>> 0
      v2h = (v2h + v3h + (lo < v2l >>> 0 ? 1 : 0)) | 0
      v2l = lo
      th = (v3h << 16) | (v3l >>> 16)
      tl = (v3l << 16) | (v3h >>> 16)
      v3h = th ^ v2h
      v3l = tl ^ v2l
      // v0 += v3; v3 = rotl(v3, 21) ^ v0
      lo = (v0l + v3l) >>> 0
      v0h = (v0h + v3h + (lo < v0l >>> 0 ? 1 : 0)) | 0
      v0l = lo
      th = (v3h << 21) | (v3l >>> 11)
      tl = (v3l << 21) | (v3h >>> 11)
      v3h = th ^ v0h
      v3l = tl ^ v0l
      // v2 += v1; v1 = rotl(v1, 17) ^ v2; v2 = rotl(v2, 32)
      lo = (v2l + v1l) >>> 0
      v2h = (v2h + v1h + (lo < v2l >>> 0 ? 1 : 0)) | 0
      v2l = lo
      th = (v1h << 17) | (v1l >>> 15)
      tl = (v1l << 17) | (v1h >>> 15)
      v1h = th ^ v2h
      v1l = tl ^ v2l
      sw = v2h
      v2h = v2l
      v2l = sw
    }
    if (rounds === 4) break
    v0h ^= mh
    v0l ^= ml
  }
  const h = v0h ^ v1h ^ v2h ^ v3h
  const l = v0l ^ v1l ^ v2l ^ v3l
  out[at] = l
  out[at + 1] = l >>> 8
  out[at + 2] = l >>> 16
  out[at + 3] = l >>> 24
  out[at + 4] = h
  out[at + 5] = h >>> 8
  out[at + 6] = h >>> 16
  out[at + 7] = h >>> 24
}
