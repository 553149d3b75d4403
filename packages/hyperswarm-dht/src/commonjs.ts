// The CommonJS packages hyperswarm-dht runs on, loaded with require rather than imported (why: see
// @hyperstack/hypercore-protocol's commonjs.ts).
import { createRequire } from 'node:module'
import type * as Sodium from 'sodium-native'
import type * as Streamx from 'streamx'

// A bundler that turns this file into CommonJS leaves import.meta empty: __filename names the bundle.
const require = createRequire(import.meta.url ?? __filename)

export const sodium = require('sodium-native') as typeof Sodium
export const { Readable } = require('streamx') as typeof Streamx
