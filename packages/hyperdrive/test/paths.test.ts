// Path normalisation against the original unixify + hyperdrive's fixName, and link resolution.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  InvalidArgumentError,
  fixName,
  resolveLinkTarget,
  toTrieKey,
  unixify,
} from '../src/index.js'
import { originalUnixify } from './helpers/originals.js'

describe('unixify', () => {
  it('matches the original on random paths', () => {
    const pathArb = fc
      .array(fc.constantFrom('/', '\\', 'a', 'b', '.', ':', 'C', ' '), { maxLength: 12 })
      .map((chars) => chars.join(''))
    fc.assert(
      fc.property(pathArb, (p) => {
        expect(unixify(p)).toBe(originalUnixify(p))
      }),
      { numRuns: 3000 },
    )
  })

  it('normalises like hyperdrive@10', () => {
    expect(fixName('a/b')).toBe('/a/b')
    expect(fixName('/a//b/')).toBe('/a/b')
    expect(fixName('\\a\\b')).toBe('/a/b')
    expect(fixName('./x')).toBe('/x')
    expect(fixName('C:\\x')).toBe('/x')
    expect(fixName('/')).toBe('/')
    expect(fixName('')).toBe('/')
    expect(fixName('a/')).toBe('/a/')
    expect(toTrieKey('/dir/a.bin')).toBe('dir/a.bin')
    expect(toTrieKey('/')).toBe('')
  })

  it('refuses non-strings and NUL bytes with EINVAL', () => {
    expect(() => fixName(3)).toThrow(InvalidArgumentError)
    try {
      fixName('a\0b')
      expect.unreachable()
    } catch (err) {
      expect((err as InvalidArgumentError).code).toBe('EINVAL')
      expect((err as InvalidArgumentError).errno).toBe(22)
    }
  })
})

describe('resolveLinkTarget', () => {
  it('keeps absolute targets and resolves relative ones from the link dir', () => {
    expect(resolveLinkTarget('/link-to-hello', '/hello.txt')).toBe('/hello.txt')
    expect(resolveLinkTarget('/dir/rel-link', 'a.bin')).toBe('/dir/a.bin')
    expect(resolveLinkTarget('/a/b/c', '../x')).toBe('/a/x')
    expect(resolveLinkTarget('/a', '../../x')).toBe('/x')
  })
})

describe('fixName fast path', () => {
  it('gives what the original gives for clean and unclean paths alike', () => {
    const pathArb = fc
      .array(fc.constantFrom('/', '\\', 'a', 'b', '.', ':', 'C', '\0'), { maxLength: 10 })
      .map((chars) => chars.join(''))
    fc.assert(
      fc.property(pathArb, (p) => {
        if (p.includes('\0')) {
          expect(() => fixName(p)).toThrow(InvalidArgumentError)
          return
        }
        const u = originalUnixify(p)
        expect(fixName(p)).toBe(u.startsWith('/') ? u : `/${u}`)
        // The trie layer unixifies again (mountable-hypertrie) and drops the leading "/".
        const k = originalUnixify(fixName(p))
        expect(toTrieKey(fixName(p))).toBe(k.startsWith('/') ? k.slice(1) : k)
      }),
      { numRuns: 3000 },
    )
  })
})
