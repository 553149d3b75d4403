// The libraries load their CommonJS dependencies with require (src/commonjs.ts), never as ES
// imports, which make Node lex each one's source at startup (~40 ms, up to ~10 MiB of RSS); and
// only that file reads import.meta, so a CommonJS bundle of them still loads.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ALLOWED_IMPORTS } from '../src/layering.js'

const packages = fileURLToPath(new URL('../../', import.meta.url))
const COMMONJS = [
  'flat-tree',
  'protocol-buffers-encodings',
  'random-access-file',
  'random-access-memory',
  'sodium-native',
  'streamx',
  'varint',
]
// A value import or re-export of one of them (`import type` and `export type` load nothing); the
// statement may span lines, but not run into the next one.
const VALUE_IMPORT = new RegExp(
  `^\\s*(?:import|export)\\s+(?!type\\b)(?:(?!\\b(?:import|export)\\b)[^;])*?from\\s*['"](${COMMONJS.join('|')})['"]`,
  'gm',
)

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path)
    return path.endsWith('.ts') ? [path] : []
  })
}

function valueImports(source: string): string[] {
  return [...source.matchAll(VALUE_IMPORT)].map((m) => m[1])
}

describe('CommonJS dependencies', () => {
  it('no library source imports one as an ES module', () => {
    const found: string[] = []
    for (const pkg of Object.keys(ALLOWED_IMPORTS)) {
      for (const file of sources(join(packages, pkg, 'src'))) {
        for (const name of valueImports(readFileSync(file, 'utf8'))) found.push(`${file}: ${name}`)
      }
    }
    expect(found).toEqual([])
  })

  it('only commonjs.ts reads import.meta, which a CommonJS bundle leaves empty', () => {
    // Its fallback to __filename keeps a bundle of the packages loading; another read would not.
    const found: string[] = []
    for (const pkg of Object.keys(ALLOWED_IMPORTS)) {
      for (const file of sources(join(packages, pkg, 'src'))) {
        if (file.endsWith(`${pkg}/src/commonjs.ts`)) continue
        if (readFileSync(file, 'utf8').includes('import.meta')) found.push(file)
      }
    }
    expect(found).toEqual([])
  })

  it('the check sees value imports and lets type imports through', () => {
    expect(valueImports("import { Readable } from 'streamx'\n")).toEqual(['streamx'])
    expect(valueImports("import sodium from 'sodium-native'\n")).toEqual(['sodium-native'])
    expect(valueImports("export { encode } from 'varint'\n")).toEqual(['varint'])
    expect(valueImports("import type * as Streamx from 'streamx'\n")).toEqual([])
    expect(valueImports("import { type X } from './commonjs.js'\n")).toEqual([])
    expect(valueImports("import {\n  Readable,\n  Writable,\n} from 'streamx'\n")).toEqual([
      'streamx',
    ])
    expect(
      valueImports(
        "import { createRequire } from 'node:module'\nimport type * as S from 'streamx'\n",
      ),
    ).toEqual([])
  })
})
