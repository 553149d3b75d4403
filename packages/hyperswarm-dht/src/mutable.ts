// The mutable-store command of @hyperswarm/dht@4 with hypersign@2 records: signed values under
// a public key (and optional salt), each put needing a higher seq than the stored one.

import type { CommandHost, CommandRequest, StoredMutable } from './command-host.js'
import {
  type DHTError,
  InvalidArgumentError,
  InvalidSeqError,
  SeqMustExceedCurrentError,
} from './errors.js'
import { decodeMutable, encodeMutable } from './messages/values.js'
import type { QueryReply } from './query.js'
import type { KeyPair, SignableOptions } from './signing.js'
import { SALT_MAX_SIZE, VALUE_MAX_SIZE, keyPair, salt, sign, signable, verify } from './signing.js'

const PREFIX = 'm'

export interface MutablePutOptions {
  /** The signing key pair; with `signature` only its publicKey is needed. */
  keypair: { publicKey: Uint8Array; secretKey?: Uint8Array | null }
  seq?: number
  salt?: Uint8Array | null
  /** A signature made elsewhere (then keypair.secretKey must be absent). */
  signature?: Uint8Array | null
}

export interface MutablePutResult {
  key: Buffer
  signature: Buffer
  seq: number
  salt: Buffer | null
}

export interface MutableGetOptions {
  seq?: number
  salt?: Uint8Array | null
}

export interface MutableGetResult {
  id: Buffer | null
  value: Buffer
  signature: Buffer
  seq: number
  salt: Buffer | null
}

/** The original's seq rule: same seq with another value, or a seq not above the stored one. */
export function seqError(
  seq: number,
  storedSeq: number,
  storedValue: Uint8Array | null,
  value: Uint8Array | null,
): Error | null {
  if (storedValue && value && seq === storedSeq && Buffer.compare(storedValue, value) !== 0) {
    return new InvalidSeqError('ERR_INVALID_SEQ')
  }
  if (seq <= storedSeq) return new SeqMustExceedCurrentError('ERR_SEQ_MUST_EXCEED_CURRENT')
  return null
}

function storeKey(publicKey: Uint8Array, saltBuf: Uint8Array | null): string {
  const pk = Buffer.from(publicKey).toString('hex')
  return saltBuf ? PREFIX + pk + Buffer.from(saltBuf).toString('hex') : PREFIX + pk
}

export class MutableStore {
  private readonly host: CommandHost

  constructor(host: CommandHost) {
    this.host = host
  }

  keypair(): KeyPair {
    return keyPair()
  }

  salt(str?: string | null, size?: number): Buffer {
    return salt(str, size)
  }

  signable(value: Uint8Array, opts?: SignableOptions): Buffer {
    return signable(value, opts)
  }

  sign(value: Uint8Array, opts: SignableOptions & { keypair: { secretKey: Uint8Array } }): Buffer {
    return sign(value, opts.keypair.secretKey, opts)
  }

  /** Signs (unless a signature is given) and stores the record on the closest nodes. */
  async put(value: Uint8Array, opts: MutablePutOptions): Promise<MutablePutResult> {
    if (!(value instanceof Uint8Array)) throw new InvalidArgumentError('Value must be a buffer')
    if (value.length > VALUE_MAX_SIZE) {
      throw new InvalidArgumentError(`Value size must be <= ${VALUE_MAX_SIZE}, got ${value.length}`)
    }
    const { keypair } = opts
    if (!keypair || !(keypair.publicKey instanceof Uint8Array) || keypair.publicKey.length !== 32) {
      throw new InvalidArgumentError('keypair.publicKey must be a 32-byte buffer')
    }
    const seq = opts.seq ?? 0
    if (!Number.isSafeInteger(seq) || seq < 0)
      throw new InvalidArgumentError('seq must be a non-negative integer')
    const saltBuf = opts.salt ? Buffer.from(opts.salt) : null
    if (saltBuf && saltBuf.length > SALT_MAX_SIZE) {
      throw new InvalidArgumentError(`salt size must be <= ${SALT_MAX_SIZE}`)
    }
    let signature: Buffer
    if (opts.signature) {
      if (keypair.secretKey) {
        throw new InvalidArgumentError(
          'only opts.signature OR opts.keypair.secretKey should be supplied',
        )
      }
      signature = Buffer.from(opts.signature)
    } else {
      if (!keypair.secretKey) throw new InvalidArgumentError('keypair.secretKey is required')
      signature = sign(value, keypair.secretKey, { seq, salt: saltBuf })
    }
    const key = Buffer.from(keypair.publicKey)
    const buf = Buffer.from(value)
    let failure: Error | null = null
    let firstError = true
    const running = await this.host.startQuery({
      command: 'mutable-store',
      target: key,
      value: encodeMutable({ value: buf, signature, seq, salt: saltBuf }),
      query: false,
      update: true,
      k: 20,
      // as the original, only the first error reply is examined for a proof
      onErrorReply: (_err: DHTError, reply: QueryReply) => {
        if (!firstError) return
        firstError = false
        const proof = decodeProof(reply.message.value)
        if (!proof) return
        const err = seqError(seq, proof.seq, proof.value, buf)
        if (!err) return
        if (!verify(proof.signature, proof.value, key, { seq: proof.seq, salt: proof.salt })) return
        failure = err
        running.query.destroy()
      },
    })
    const done = running.done.catch((err: Error) => {
      if (!failure) throw err
      return null
    })
    await done
    if (failure) throw failure
    return { key, signature, seq, salt: saltBuf }
  }

  /** The first verified record with seq >= opts.seq, or null. */
  async get(key: Uint8Array, opts: MutableGetOptions = {}): Promise<MutableGetResult | null> {
    if (!(key instanceof Uint8Array) || key.length !== 32) {
      throw new InvalidArgumentError('Key must be a 32-byte buffer')
    }
    const seq = opts.seq ?? 0
    const saltBuf = opts.salt ? Buffer.from(opts.salt) : null
    if (saltBuf && saltBuf.length > SALT_MAX_SIZE) {
      throw new InvalidArgumentError(`salt size must be <= ${SALT_MAX_SIZE}`)
    }
    const target = Buffer.from(key)
    let found: MutableGetResult | null = null
    const running = await this.host.startQuery({
      command: 'mutable-store',
      target,
      value: encodeMutable({ seq, salt: saltBuf }),
      query: true,
      update: false,
      onReply: (reply) => {
        if (found) return
        const rec = decodeProof(reply.message.value)
        if (!rec || rec.seq < seq) return
        if (!verify(rec.signature, rec.value, target, { seq: rec.seq, salt: saltBuf })) return
        found = {
          id: reply.node.id,
          value: rec.value,
          signature: rec.signature,
          seq: rec.seq,
          salt: saltBuf,
        }
        running.query.destroy()
      },
    })
    await running.done
    return found
  }
}

function decodeProof(buf: Buffer | null): StoredMutable | null {
  if (!buf) return null
  try {
    const m = decodeMutable(buf)
    if (!m.value || !m.signature) return null
    return { value: m.value, signature: m.signature, seq: m.seq, salt: m.salt }
  } catch {
    return null
  }
}

/**
 * Serves mutable-store. Inputs that crash the original (no value, value > 1000 bytes, salt > 64,
 * a short signature) are answered here: a QUERY without a value reads as {seq 0}, a bad UPDATE
 * gets ERR_INVALID_INPUT. Unlike the original, a rejected put is NOT stored afterwards (the
 * original overwrites and replies twice).
 */
export function serveMutable(host: CommandHost, req: CommandRequest): void {
  let input: ReturnType<typeof decodeMutable>
  try {
    input = req.message.value
      ? decodeMutable(req.message.value)
      : { value: null, signature: null, seq: 0, salt: null }
  } catch {
    return
  }
  if (input.salt && input.salt.length > SALT_MAX_SIZE) {
    req.reply('ERR_INVALID_INPUT', null)
    return
  }
  const key = storeKey(req.target, input.salt)
  const stored = host.store.get(key)
  const record = stored && !Buffer.isBuffer(stored) ? stored : null

  if (req.type === 'query') {
    req.reply(null, record && record.seq >= input.seq ? encodeMutable(record) : null)
    return
  }
  if (input.value === null || input.signature === null) {
    req.reply(null, null)
    return
  }
  const opts = { seq: input.seq, salt: input.salt }
  if (
    input.value.length > VALUE_MAX_SIZE ||
    !verify(input.signature, input.value, req.target, opts)
  ) {
    req.reply('ERR_INVALID_INPUT', null)
    return
  }
  if (record) {
    const err = seqError(input.seq, record.seq, record.value, input.value)
    if (err) {
      req.reply(err.message, encodeMutable(record))
      return
    }
  }
  host.store.set(key, {
    value: input.value,
    signature: input.signature,
    seq: input.seq,
    salt: input.salt,
  })
  req.reply(null, null)
}
