// The CommonJS packages hypercore runs on, loaded with require rather than imported (why: see
// @hyperstack/hypercore-protocol's commonjs.ts).
import { createRequire } from 'node:module'
import type * as FlatTree from 'flat-tree'
import type RandomAccessFileClass from 'random-access-file'
import type RandomAccessMemoryClass from 'random-access-memory'
import type * as Sodium from 'sodium-native'
import type * as Streamx from 'streamx'
import type * as Varint from 'varint'

// A bundler that turns this file into CommonJS leaves import.meta empty: __filename names the bundle.
const require = createRequire(import.meta.url ?? __filename)

export const flat = require('flat-tree') as typeof FlatTree
export const sodium = require('sodium-native') as typeof Sodium
/** Where sodium-native loads from: the helper threads require it there. */
export const sodiumPath = require.resolve('sodium-native')
export const varint = require('varint') as typeof Varint
export const RandomAccessFile = require('random-access-file') as typeof RandomAccessFileClass
export const RandomAccessMemory = require('random-access-memory') as typeof RandomAccessMemoryClass
export const { Readable, Writable } = require('streamx') as typeof Streamx
export type Readable = Streamx.Readable
export type Writable = Streamx.Writable
