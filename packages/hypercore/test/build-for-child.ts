// Transpiles this package's src (and the protocol's) to plain JS a child process can run (no type check).
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

const require = createRequire(import.meta.url)

interface TranspileResult {
  outputText: string
}
interface TypeScriptApi {
  transpileModule(
    input: string,
    opts: { compilerOptions: { module: number; target: number; verbatimModuleSyntax?: boolean } },
  ): TranspileResult
  ModuleKind: { ESNext: number }
  ScriptTarget: { ES2022: number }
}

const PACKAGES = path.resolve(import.meta.dirname, '../..')

/**
 * Builds into packages/hypercore/node_modules/.child-build-* (so the package's dependencies
 * resolve from there) and returns the folder and a cleanup function.
 */
export function buildForChild(): { dir: string; cleanup: () => void } {
  const ts = require('typescript') as TypeScriptApi
  const root = path.join(PACKAGES, 'hypercore', 'node_modules')
  const dir = fs.mkdtempSync(path.join(root, '.child-build-'))
  const compilerOptions = { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 }
  for (const pkg of ['hypercore', 'hypercore-protocol']) {
    const src = path.join(PACKAGES, pkg, 'src')
    const walk = (from: string, to: string) => {
      fs.mkdirSync(to, { recursive: true })
      for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
        const full = path.join(from, entry.name)
        if (entry.isDirectory()) walk(full, path.join(to, entry.name))
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
          let js = ts.transpileModule(fs.readFileSync(full, 'utf-8'), {
            compilerOptions,
          }).outputText
          const depth = path.relative(src, from).split(path.sep).filter(Boolean).length
          const up = '../'.repeat(depth + 1)
          js = js.replaceAll(
            "'@hyperstack/hypercore-protocol'",
            `'${up}hypercore-protocol/index.js'`,
          )
          fs.writeFileSync(path.join(to, entry.name.replace(/\.ts$/, '.js')), js)
        }
      }
    }
    walk(src, path.join(dir, pkg))
  }
  fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}')
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) }
}
