// HSalsa20: the subkey step of XSalsa20. XSalsa20(key, nonce) is Salsa20(HSalsa20(key,
// nonce[0..16]), nonce[16..24]); computing the subkey once per stream lets every transport
// chunk run plain Salsa20 (libsodium's XSalsa20 recomputes it on every call).

/** "expand 32-byte k", as four little-endian words. */
const SIGMA = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]

function rotl(x: number, n: number): number {
  return (x << n) | (x >>> (32 - n))
}

/** The 32-byte HSalsa20 output for a 32-byte key and the first 16 bytes of `nonce`. */
export function hsalsa20(key: Uint8Array, nonce: Uint8Array): Buffer {
  const k = Buffer.from(key.buffer, key.byteOffset, key.byteLength)
  const n = Buffer.from(nonce.buffer, nonce.byteOffset, nonce.byteLength)
  let x0 = SIGMA[0]
  let x1 = k.readUInt32LE(0)
  let x2 = k.readUInt32LE(4)
  let x3 = k.readUInt32LE(8)
  let x4 = k.readUInt32LE(12)
  let x5 = SIGMA[1]
  let x6 = n.readUInt32LE(0)
  let x7 = n.readUInt32LE(4)
  let x8 = n.readUInt32LE(8)
  let x9 = n.readUInt32LE(12)
  let x10 = SIGMA[2]
  let x11 = k.readUInt32LE(16)
  let x12 = k.readUInt32LE(20)
  let x13 = k.readUInt32LE(24)
  let x14 = k.readUInt32LE(28)
  let x15 = SIGMA[3]
  for (let i = 0; i < 20; i += 2) {
    // Column round.
    x4 ^= rotl((x0 + x12) | 0, 7)
    x8 ^= rotl((x4 + x0) | 0, 9)
    x12 ^= rotl((x8 + x4) | 0, 13)
    x0 ^= rotl((x12 + x8) | 0, 18)
    x9 ^= rotl((x5 + x1) | 0, 7)
    x13 ^= rotl((x9 + x5) | 0, 9)
    x1 ^= rotl((x13 + x9) | 0, 13)
    x5 ^= rotl((x1 + x13) | 0, 18)
    x14 ^= rotl((x10 + x6) | 0, 7)
    x2 ^= rotl((x14 + x10) | 0, 9)
    x6 ^= rotl((x2 + x14) | 0, 13)
    x10 ^= rotl((x6 + x2) | 0, 18)
    x3 ^= rotl((x15 + x11) | 0, 7)
    x7 ^= rotl((x3 + x15) | 0, 9)
    x11 ^= rotl((x7 + x3) | 0, 13)
    x15 ^= rotl((x11 + x7) | 0, 18)
    // Row round.
    x1 ^= rotl((x0 + x3) | 0, 7)
    x2 ^= rotl((x1 + x0) | 0, 9)
    x3 ^= rotl((x2 + x1) | 0, 13)
    x0 ^= rotl((x3 + x2) | 0, 18)
    x6 ^= rotl((x5 + x4) | 0, 7)
    x7 ^= rotl((x6 + x5) | 0, 9)
    x4 ^= rotl((x7 + x6) | 0, 13)
    x5 ^= rotl((x4 + x7) | 0, 18)
    x11 ^= rotl((x10 + x9) | 0, 7)
    x8 ^= rotl((x11 + x10) | 0, 9)
    x9 ^= rotl((x8 + x11) | 0, 13)
    x10 ^= rotl((x9 + x8) | 0, 18)
    x12 ^= rotl((x15 + x14) | 0, 7)
    x13 ^= rotl((x12 + x15) | 0, 9)
    x14 ^= rotl((x13 + x12) | 0, 13)
    x15 ^= rotl((x14 + x13) | 0, 18)
  }
  const out = Buffer.allocUnsafe(32)
  out.writeUInt32LE(x0 >>> 0, 0)
  out.writeUInt32LE(x5 >>> 0, 4)
  out.writeUInt32LE(x10 >>> 0, 8)
  out.writeUInt32LE(x15 >>> 0, 12)
  out.writeUInt32LE(x6 >>> 0, 16)
  out.writeUInt32LE(x7 >>> 0, 20)
  out.writeUInt32LE(x8 >>> 0, 24)
  out.writeUInt32LE(x9 >>> 0, 28)
  return out
}
