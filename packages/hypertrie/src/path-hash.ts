// Keys → components → SipHash-2-4 (sodium crypto_shorthash, zero key) → 2-bit path digits, as
// hypertrie@5's lib/node.js: digit 0 is the hidden bit, 32 digits per component, then terminator 4.
import sodium from 'sodium-native'

const ZERO_KEY = Buffer.alloc(16)
export const TERMINATOR = 4

/** Drops one leading "/" (hypertrie@5's normalizeKey). */
export function normalizeKey(key: string): string {
  return key.length > 0 && key.charCodeAt(0) === 47 ? key.slice(1) : key
}

/** Splits on "/", dropping one empty first and one empty last element. */
export function splitKey(key: string): string[] {
  const list = key.split('/')
  if (list[0] === '') list.shift()
  if (list.length > 0 && list[list.length - 1] === '') list.pop()
  return list
}

// Components are written into one scratch buffer to hash them without allocating per call.
const SCRATCH = Buffer.allocUnsafe(4096)
const OUT = Buffer.allocUnsafe(8)

/** Eight SipHash bytes per component, concatenated. */
export function hashComponents(components: string[]): Uint8Array {
  const out = new Uint8Array(8 * components.length)
  for (let i = 0; i < components.length; i++) {
    const c = components[i]
    const input =
      c.length * 3 <= SCRATCH.length
        ? SCRATCH.subarray(0, SCRATCH.write(c, 0, 'utf-8'))
        : Buffer.from(c, 'utf-8')
    sodium.crypto_shorthash(OUT, input, ZERO_KEY)
    out.set(OUT, i * 8)
  }
  return out
}

/** Path length: 1 hidden digit + 4 digits per hash byte + 1 terminator. */
export function pathLength(hash: Uint8Array): number {
  return hash.length * 4 + 2
}

/** Digit `i` of a path (0..4); matches hypertrie@5's Node.prototype.path. */
export function pathDigit(hash: Uint8Array, hidden: boolean, i: number): number {
  if (i === 0) return hidden ? 1 : 0
  i--
  const j = i >> 2
  if (j >= hash.length) return TERMINATOR
  return (hash[j] >> (2 * (i & 3))) & 3
}

/** Positions i > 0 with i % 32 == 0 end a component: only there can a hash collision show. */
export function isComponentEnd(i: number): boolean {
  return i > 0 && (i & 31) === 0
}

/** The path as a digit string, the form the vectors store. */
export function pathDigits(hash: Uint8Array, hidden: boolean): string {
  let s = ''
  const len = pathLength(hash)
  for (let i = 0; i < len; i++) s += pathDigit(hash, hidden, i)
  return s
}
