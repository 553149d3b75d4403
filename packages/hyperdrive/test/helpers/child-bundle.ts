// Test programs run as child processes: bundled from this workspace's sources with esbuild (the
// one vitest's vite brings, so no extra dependency), then started with node.
import { type ChildProcessByStdio, spawn } from 'node:child_process'
import { realpathSync } from 'node:fs'
import { createRequire } from 'node:module'
import { delimiter, join } from 'node:path'
import type { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'

const PACKAGES = fileURLToPath(new URL('../../../', import.meta.url))
/** The workspace packages a drive runs on, lowest layer first (this one last). */
const LAYERS = ['hypercore-protocol', 'hypercore', 'hypertrie', 'hyperdrive']

interface Esbuild {
  build(opts: Record<string, unknown>): Promise<unknown>
}

function esbuild(): Esbuild {
  const vitestManifest = realpathSync(
    join(PACKAGES, '..', 'node_modules', 'vitest', 'package.json'),
  )
  const viteManifest = createRequire(vitestManifest).resolve('vite/package.json')
  return createRequire(viteManifest)('esbuild') as Esbuild
}

/** Bundles the TypeScript program `entry` into one ES module `outfile` (name it .mjs). */
export async function bundleChild(entry: string, outfile: string): Promise<void> {
  const alias: Record<string, string> = {}
  for (const name of LAYERS) alias[`@hyperstack/${name}`] = join(PACKAGES, name, 'src', 'index.ts')
  await esbuild().build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    alias,
    external: ['sodium-native'],
    logLevel: 'silent',
  })
}

/**
 * Starts `node bundle ...args`. The packages load their CommonJS dependencies at run time
 * (src/commonjs.ts), from their own node_modules folders.
 */
export function startChild(
  bundle: string,
  args: string[],
): ChildProcessByStdio<null, Readable, Readable> {
  const modules = LAYERS.map((name) => join(PACKAGES, name, 'node_modules'))
  return spawn(process.execPath, [bundle, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_PATH: modules.join(delimiter) },
  })
}
