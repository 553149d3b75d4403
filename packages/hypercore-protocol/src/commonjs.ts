// The CommonJS packages this one runs on, loaded with require. Imported as ES modules, Node
// would lex each one's source for its export names (cjs-module-lexer) at startup: for the
// stack's seven that took ~40 ms and, once the lexer ran hot enough for V8 to optimize it, up to
// ~10 MiB of RSS that stayed (measured importing them both ways).
import { createRequire } from 'node:module'
import type * as Encodings from 'protocol-buffers-encodings'
import type * as Sodium from 'sodium-native'
import type * as Streamx from 'streamx'

// A bundler that turns this file into CommonJS leaves import.meta empty: __filename names the bundle.
const require = createRequire(import.meta.url ?? __filename)

export const sodium = require('sodium-native') as typeof Sodium
export const encodings = require('protocol-buffers-encodings') as typeof Encodings
export const { Duplex, Readable } = require('streamx') as typeof Streamx
