// Keys → components → SipHash-2-4 (crypto_shorthash, zero key; siphash.ts) → 2-bit path digits, as
// hypertrie@5's lib/node.js: digit 0 is the hidden bit, 32 digits per component, then terminator 4.
import { sipHashInto } from './siphash.js'

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

// Keys are written into one scratch buffer to hash them without allocating per call.
const SCRATCH = Buffer.allocUnsafe(4096)

/** Eight SipHash bytes per component, concatenated. */
export function hashComponents(components: string[]): Uint8Array {
  const out = Buffer.allocUnsafe(8 * components.length)
  for (let i = 0; i < components.length; i++) {
    const c = components[i]
    const input = c.length * 3 <= SCRATCH.length ? SCRATCH : Buffer.from(c, 'utf-8')
    const n = input === SCRATCH ? SCRATCH.write(c, 0, 'utf-8') : input.length
    sipHashInto(input, 0, n, out, i * 8)
  }
  return out
}

const SLASH = 47

const PATH_SCRATCH = Buffer.allocUnsafeSlow(1024)

/**
 * hashComponents(splitKey(key)) as a latin1 string (one char per byte, see TrieNode.path),
 * without building the component strings: the key is written once as UTF-8 and split on "/"
 * bytes ("/" never occurs inside a multi-byte sequence).
 */
export function hashKey(key: string): string {
  if (key.length * 3 <= SCRATCH.length)
    return hashKeyBytes(SCRATCH, 0, SCRATCH.write(key, 0, 'utf-8'))
  const bytes = Buffer.from(key, 'utf-8')
  return hashKeyBytes(bytes, 0, bytes.length)
}

/** hashKey of the key whose UTF-8 bytes are `bytes[from, to)`, read in place. */
export function hashKeyBytes(bytes: Uint8Array, from: number, to: number): string {
  const n = to - from
  // splitKey drops one empty first part (the key is empty or starts with "/") and then one
  // empty last part (the key ends with "/" and parts remain)
  let start = from
  if (n === 0 || bytes[from] === SLASH) start = from + 1
  let end = to
  if (start <= to - 1 && bytes[to - 1] === SLASH) end = to - 1
  // parts of bytes[start, end): separators + 1, none when the shifted key had nothing left
  let count = 0
  if (start <= end && !(start > to - 1 && end === to)) {
    count = 1
    for (let k = start; k < end; k++) if (bytes[k] === SLASH) count++
  }
  const out = 8 * count <= PATH_SCRATCH.length ? PATH_SCRATCH : Buffer.allocUnsafe(8 * count)
  let at = start
  for (let c = 0; c < count; c++) {
    let stop = at
    while (stop < end && bytes[stop] !== SLASH) stop++
    sipHashInto(bytes, at, stop, out, c * 8)
    at = stop + 1
  }
  return out.toString('latin1', 0, 8 * count)
}

// bounds of component j of a key as splitKey numbers them: start returned, end in partEnd
let partEnd = 0
function componentStart(key: string, j: number): number {
  const n = key.length
  if (n === 0) return -1
  let s = key.charCodeAt(0) === SLASH ? 1 : 0
  for (let k = 0; k < j; k++) {
    const p = key.indexOf('/', s)
    if (p === -1) return -1
    s = p + 1
  }
  let e = key.indexOf('/', s)
  if (e === -1) e = n
  // an empty last part is dropped by splitKey
  if (s === n) return -1
  partEnd = e
  return s
}

/** splitKey(a)[j] === splitKey(b)[j], without splitting. */
export function sameComponent(a: string, b: string, j: number): boolean {
  const sa = componentStart(a, j)
  const ea = partEnd
  const sb = componentStart(b, j)
  const eb = partEnd
  if (sa === -1 || sb === -1) return sa === sb
  const len = ea - sa
  if (len !== eb - sb) return false
  for (let k = 0; k < len; k++) if (a.charCodeAt(sa + k) !== b.charCodeAt(sb + k)) return false
  return true
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
