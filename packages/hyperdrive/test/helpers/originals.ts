// Loads the original CommonJS modules the tests compare against, typed by small local interfaces.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const requireFromHyperdrive = createRequire(require.resolve('hyperdrive'))
const requireFromSchemas = createRequire(requireFromHyperdrive.resolve('hyperdrive-schemas'))

export interface OriginalStatEncoder {
  encode(obj: object): Buffer
  decode(buf: Uint8Array): Record<string, unknown>
}
interface OriginalSchemas {
  messages: { Stat: OriginalStatEncoder; Mount: OriginalStatEncoder; Index: OriginalStatEncoder }
}
export const originalSchemas = requireFromHyperdrive('hyperdrive-schemas') as OriginalSchemas
export const originalUnixify = requireFromHyperdrive('unixify') as (p: string) => string
export const originalVarint = requireFromSchemas('varint') as {
  encode(n: number): number[]
}
