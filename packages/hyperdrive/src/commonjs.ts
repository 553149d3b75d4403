// The CommonJS packages hyperdrive runs on, loaded with require rather than imported (why: see
// @hyperstack/hypercore-protocol's commonjs.ts).
import { createRequire } from 'node:module'
import type * as Streamx from 'streamx'

const require = createRequire(import.meta.url)

export const { Readable, Writable } = require('streamx') as typeof Streamx
