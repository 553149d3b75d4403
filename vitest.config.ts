// One vitest run covers every workspace package, unit and interop tests alike.
// Packages import each other by name; the alias points those names at their sources so tests
// need no build step.
import { readdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const packagesDir = fileURLToPath(new URL('./packages/', import.meta.url))
// The shared specs, vectors and fixtures sit beside the repository (../shared), wherever it is cloned.
const sharedDir = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', 'shared')
const workspaceAliases = readdirSync(packagesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'typings')
  .map((entry) => ({
    find: new RegExp(`^@hyperstack/${entry.name}$`),
    replacement: `${packagesDir}${entry.name}/src/index.ts`,
  }))

export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    env: { HYPERSTACK_SHARED: process.env.HYPERSTACK_SHARED ?? sharedDir },
  },
})
