// Loads hypercore-protocol@8 (CommonJS, untyped) behind a small typed interface for the tests.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

export interface OriginalChannel {
  localId: number
  remoteId: number
  discoveryKey: Buffer
  options(m: object): boolean
  status(m: object): boolean
  have(m: object): boolean
  unhave(m: object): boolean
  want(m: object): boolean
  unwant(m: object): boolean
  request(m: object): boolean
  cancel(m: object): boolean
  data(m: object): boolean
  extension(id: number, buf: Buffer): boolean
  close(): void
}

export interface OriginalExtension {
  send(message: unknown): boolean
}

/** A Node stream (a socket pipes into and out of it) with hypercore-protocol@8's own members. */
export interface OriginalStream extends NodeJS.ReadWriteStream {
  publicKey: Buffer
  remotePublicKey: Buffer | null
  destroyed: boolean
  channelCount: number
  open(key: Buffer, handlers?: object): OriginalChannel
  close(discoveryKey: Buffer): void
  opened(key: Buffer): boolean
  remoteOpened(key: Buffer): boolean
  remoteVerified(key: Buffer): boolean
  registerExtension(name: string, handlers: object): OriginalExtension
  destroy(err?: Error): void
  finalize(): void
  state: { capability(key: Buffer): Buffer | null }
}

export interface OriginalProtocolCtor {
  new (initiator: boolean, opts?: object): OriginalStream
  keyPair(seed?: Buffer): { publicKey: Buffer; secretKey: Buffer }
}

export const OriginalProtocol = require('hypercore-protocol') as OriginalProtocolCtor
