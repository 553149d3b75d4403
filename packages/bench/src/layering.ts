// The layering rule of hyperstack: a package imports only packages below it, by name.
// Read by the layering test; kept free of dependencies so it can check any checkout.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'

/** For each package folder, the workspace packages it may import (strictly lower layers). */
export const ALLOWED_IMPORTS: Readonly<Record<string, readonly string[]>> = {
  'hypercore-protocol': [],
  hypercore: ['hypercore-protocol'],
  hypertrie: ['hypercore', 'hypercore-protocol'],
  hyperdrive: ['hypertrie', 'hypercore', 'hypercore-protocol'],
  'hyperswarm-dht': [],
  hyperswarm: ['hyperswarm-dht'],
  'hyperdrive-daemon': [
    'hyperdrive',
    'hypertrie',
    'hypercore',
    'hypercore-protocol',
    'hyperswarm',
    'hyperswarm-dht',
  ],
}

/** Private packages that compose every layer, as users do. */
export const IMPORT_EVERYTHING = ['bench', 'examples'] as const

const SCOPE = '@hyperstack/'
const SOURCE_FOLDERS = ['src', 'test']
const SOURCE_FILE = /\.(ts|mts|cts|js|mjs|cjs)$/
// import ... from 'x' | export ... from 'x' | import 'x' | import('x') | require('x')
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"\n]+)['"]/g

export interface LayeringViolation {
  /** Package folder name, e.g. `hypertrie`. */
  pkg: string
  /** File (relative to the root) or `package.json`. */
  file: string
  specifier: string
  reason: string
}

/** Every import or dependency under `root/packages` that breaks the layering rule. */
export function findLayeringViolations(root: string): LayeringViolation[] {
  const packagesDir = join(root, 'packages')
  const packageNames = readdirSync(packagesDir).filter((name) =>
    statSync(join(packagesDir, name)).isFile() ? false : hasPackageJson(join(packagesDir, name)),
  )
  const violations: LayeringViolation[] = []
  for (const pkg of packageNames) {
    const pkgDir = join(packagesDir, pkg)
    const allowed = allowedFor(pkg, packageNames)
    for (const dep of declaredWorkspaceDeps(pkgDir)) {
      if (!allowed.has(dep)) {
        violations.push({
          pkg,
          file: 'package.json',
          specifier: SCOPE + dep,
          reason: ruleFor(pkg, dep),
        })
      }
    }
    for (const file of sourceFiles(pkgDir)) {
      const text = readFileSync(file, 'utf8')
      for (const match of text.matchAll(SPECIFIER)) {
        const specifier = match[1] as string
        const reason = checkSpecifier(pkg, pkgDir, packagesDir, file, specifier, allowed)
        if (reason) violations.push({ pkg, file: relative(root, file), specifier, reason })
      }
    }
  }
  return violations
}

function checkSpecifier(
  pkg: string,
  pkgDir: string,
  packagesDir: string,
  file: string,
  specifier: string,
  allowed: Set<string>,
): string | null {
  if (specifier.startsWith(SCOPE)) {
    const target = specifier.slice(SCOPE.length).split('/')[0] as string
    if (specifier !== SCOPE + target)
      return `deep import into ${SCOPE}${target}: use its entry point`
    return allowed.has(target) ? null : ruleFor(pkg, target)
  }
  if (specifier.startsWith('.')) {
    const target = resolve(dirname(file), specifier)
    const inside = relative(pkgDir, target)
    if (inside.startsWith('..')) {
      const other = relative(packagesDir, target).split(sep)[0]
      return `relative import reaches outside the package${other && !other.startsWith('..') ? ` (into ${other})` : ''}: import by package name`
    }
  }
  return null
}

function allowedFor(pkg: string, packageNames: string[]): Set<string> {
  if ((IMPORT_EVERYTHING as readonly string[]).includes(pkg)) {
    return new Set(
      packageNames.filter((name) => !(IMPORT_EVERYTHING as readonly string[]).includes(name)),
    )
  }
  return new Set(ALLOWED_IMPORTS[pkg] ?? [])
}

function ruleFor(pkg: string, target: string): string {
  if (!(pkg in ALLOWED_IMPORTS) && !(IMPORT_EVERYTHING as readonly string[]).includes(pkg)) {
    return `package ${pkg} is not in the layer order`
  }
  return `${pkg} may not import ${target}: imports point down the layer order only`
}

function hasPackageJson(dir: string): boolean {
  try {
    return statSync(join(dir, 'package.json')).isFile()
  } catch {
    return false
  }
}

function declaredWorkspaceDeps(pkgDir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as Record<
    string,
    Record<string, string> | undefined
  >
  const names = new Set<string>()
  for (const field of [
    'dependencies',
    'devDependencies',
    'peerDependencies',
    'optionalDependencies',
  ]) {
    for (const name of Object.keys(manifest[field] ?? {})) {
      if (name.startsWith(SCOPE)) names.add(name.slice(SCOPE.length))
    }
  }
  return [...names]
}

function* sourceFiles(pkgDir: string): Generator<string> {
  for (const folder of SOURCE_FOLDERS) yield* walk(join(pkgDir, folder))
}

function* walk(dir: string): Generator<string> {
  let entries: import('node:fs').Dirent[]
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return
  }
  for (const entry of entries) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* walk(path)
    else if (SOURCE_FILE.test(entry.name)) yield path
  }
}
