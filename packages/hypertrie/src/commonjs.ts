// The CommonJS packages hypertrie runs on, loaded with require rather than imported (why: see
// @hyperstack/hypercore-protocol's commonjs.ts).
import { createRequire } from 'node:module'
import type * as Streamx from 'streamx'
import type * as Varint from 'varint'

const require = createRequire(import.meta.url)

export const encodeVarint: typeof Varint.encode = (require('varint') as typeof Varint).encode
export const { Readable } = require('streamx') as typeof Streamx
export type Readable = Streamx.Readable
