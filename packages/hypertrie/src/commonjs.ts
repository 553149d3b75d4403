// The CommonJS packages hypertrie runs on, loaded with require rather than imported (why: see
// @hyperstack/hypercore-protocol's commonjs.ts).
import { createRequire } from 'node:module'
import type * as Streamx from 'streamx'
import type * as Varint from 'varint'

// A bundler that turns this file into CommonJS leaves import.meta empty: __filename names the bundle.
const require = createRequire(import.meta.url ?? __filename)

export const encodeVarint: typeof Varint.encode = (require('varint') as typeof Varint).encode
export const { Readable, Writable } = require('streamx') as typeof Streamx
export type Readable = Streamx.Readable
export type Writable = Streamx.Writable
