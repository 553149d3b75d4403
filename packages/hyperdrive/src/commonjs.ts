// The CommonJS packages hyperdrive runs on, loaded with require rather than imported (why: see
// @hyperstack/hypercore-protocol's commonjs.ts).
import { createRequire } from 'node:module'
import type * as Streamx from 'streamx'

// A bundler that turns this file into CommonJS leaves import.meta empty: __filename names the bundle.
const require = createRequire(import.meta.url ?? __filename)

export const { Readable, Writable } = require('streamx') as typeof Streamx
