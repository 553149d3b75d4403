// The layering rule holds for the whole repository, and the check catches planted violations.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { findLayeringViolations } from '../src/layering.js'

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))

describe('layering', () => {
  it('every package in this repository imports only downward, by name', () => {
    expect(findLayeringViolations(repoRoot)).toEqual([])
  })

  describe('on a planted tree', () => {
    let root = ''
    afterEach(() => rmSync(root, { recursive: true, force: true }))

    function plant(pkg: string, file: string, source: string, deps: Record<string, string> = {}) {
      const dir = join(root, 'packages', pkg)
      mkdirSync(join(dir, 'src'), { recursive: true })
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({ name: `@hyperstack/${pkg}`, dependencies: deps }),
      )
      writeFileSync(join(dir, 'src', file), source)
    }

    // Planted sources are assembled here so this file's own text holds no import to flag.
    const importOf = (specifier: string) => `import '${specifier}'\n`

    function freshRoot() {
      root = mkdtempSync(join(tmpdir(), 'hyperstack-layering-'))
    }

    it('accepts a downward import by name', () => {
      freshRoot()
      plant('hypercore', 'index.ts', importOf('@hyperstack/hypercore-protocol'), {
        '@hyperstack/hypercore-protocol': 'workspace:*',
      })
      plant('hypercore-protocol', 'index.ts', 'export {}\n')
      expect(findLayeringViolations(root)).toEqual([])
    })

    it('fails on a sideways import', () => {
      freshRoot()
      plant('hyperdrive', 'index.ts', importOf('@hyperstack/hyperswarm'))
      plant('hyperswarm', 'index.ts', 'export {}\n')
      const violations = findLayeringViolations(root)
      expect(violations.map((v) => [v.pkg, v.specifier])).toEqual([
        ['hyperdrive', '@hyperstack/hyperswarm'],
      ])
    })

    it('fails on an upward import and an upward dependency', () => {
      freshRoot()
      plant('hypercore', 'store.ts', importOf('@hyperstack/hyperdrive'), {
        '@hyperstack/hyperdrive': 'workspace:*',
      })
      plant('hyperdrive', 'index.ts', 'export {}\n')
      const violations = findLayeringViolations(root)
      expect(violations.map((v) => v.file).sort()).toEqual([
        'package.json',
        'packages/hypercore/src/store.ts',
      ])
    })

    it('fails on a relative import reaching into another package', () => {
      freshRoot()
      plant('hypertrie', 'node.ts', importOf('../../hypercore/src/crypto.js'))
      plant('hypercore', 'crypto.ts', 'export const crypto = 1\n')
      const violations = findLayeringViolations(root)
      expect(violations).toHaveLength(1)
      expect(violations[0]?.reason).toMatch(/into hypercore/)
    })

    it('lets bench and examples import every layer but not each other', () => {
      freshRoot()
      plant(
        'examples',
        'share.ts',
        importOf('@hyperstack/hyperdrive') + importOf('@hyperstack/hyperswarm'),
      )
      plant('bench', 'cli.ts', importOf('@hyperstack/examples'))
      plant('hyperdrive', 'index.ts', 'export {}\n')
      plant('hyperswarm', 'index.ts', 'export {}\n')
      const violations = findLayeringViolations(root)
      expect(violations.map((v) => [v.pkg, v.specifier])).toEqual([
        ['bench', '@hyperstack/examples'],
      ])
    })
  })
})
