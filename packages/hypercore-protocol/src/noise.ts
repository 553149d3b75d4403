// Noise_XX_25519_ChaChaPoly_BLAKE2b, as noise-protocol@3.0.1 runs it for hypercore-protocol@8:
// empty prologue, IETF ChaCha20-Poly1305 with nonce 0^4 ‖ u64le(n), BLAKE2b-512 hash/HMAC/HKDF.
import { sodium } from './commonjs.js'
import { HandshakeError } from './errors.js'

export interface KeyPair {
  publicKey: Buffer
  secretKey: Buffer
}

const HASHLEN = 64
const BLOCKLEN = 128
const KEYLEN = 32
const DHLEN = 32
const MACLEN = 16
const PROTOCOL_NAME = Buffer.from('Noise_XX_25519_ChaChaPoly_BLAKE2b')
const EMPTY = Buffer.alloc(0)

/** A Curve25519 key pair, from `seed` when given (crypto_kx_seed_keypair, as the original). */
export function keyPair(seed?: Uint8Array): KeyPair {
  const publicKey = Buffer.alloc(sodium.crypto_kx_PUBLICKEYBYTES)
  const secretKey = Buffer.alloc(sodium.crypto_kx_SECRETKEYBYTES)
  if (seed) sodium.crypto_kx_seed_keypair(publicKey, secretKey, seed)
  else sodium.crypto_kx_keypair(publicKey, secretKey)
  return { publicKey, secretKey }
}

function hash(inputs: Uint8Array[]): Buffer {
  const out = Buffer.alloc(HASHLEN)
  sodium.crypto_generichash_batch(out, inputs)
  return out
}

/** HMAC over BLAKE2b-512 with its 128-byte block (hmac-blake2b). */
function hmac(key: Uint8Array, data: Uint8Array[]): Buffer {
  const block = Buffer.alloc(BLOCKLEN)
  if (key.byteLength > BLOCKLEN) sodium.crypto_generichash(block.subarray(0, HASHLEN), key)
  else block.set(key)
  const inner = Buffer.alloc(BLOCKLEN)
  const outer = Buffer.alloc(BLOCKLEN)
  for (let i = 0; i < BLOCKLEN; i++) {
    inner[i] = block[i] ^ 0x36
    outer[i] = block[i] ^ 0x5c
  }
  const innerHash = hash([inner, ...data])
  return hash([outer, innerHash])
}

function hkdf(chainingKey: Uint8Array, ikm: Uint8Array): [Buffer, Buffer] {
  const temp = hmac(chainingKey, [ikm])
  const out1 = hmac(temp, [Buffer.from([1])])
  const out2 = hmac(temp, [out1, Buffer.from([2])])
  return [out1, out2]
}

function dh(secretKey: Uint8Array, publicKey: Uint8Array): Buffer {
  const out = Buffer.alloc(DHLEN)
  try {
    sodium.crypto_scalarmult(out, secretKey, publicKey)
  } catch {
    throw new HandshakeError('Noise handshake error: invalid remote Curve25519 key')
  }
  return out
}

class CipherState {
  private key: Buffer | null = null
  private n = 0
  private readonly nonce = Buffer.alloc(12)

  initializeKey(key: Buffer): void {
    this.key = key.subarray(0, KEYLEN)
    this.n = 0
  }

  get hasKey(): boolean {
    return this.key !== null
  }

  private setNonce(): void {
    // 4 zero bytes ‖ little-endian counter (noise-protocol increments it with sodium_increment).
    this.nonce.fill(0)
    this.nonce.writeUIntLE(this.n, 4, 6)
    this.n++
  }

  encryptWithAd(ad: Uint8Array, plaintext: Uint8Array): Buffer {
    if (this.key === null) return Buffer.from(plaintext)
    const out = Buffer.alloc(plaintext.byteLength + MACLEN)
    this.setNonce()
    sodium.crypto_aead_chacha20poly1305_ietf_encrypt(out, plaintext, ad, null, this.nonce, this.key)
    return out
  }

  decryptWithAd(ad: Uint8Array, ciphertext: Uint8Array): Buffer {
    if (this.key === null) return Buffer.from(ciphertext)
    if (ciphertext.byteLength < MACLEN) {
      throw new HandshakeError('Noise handshake error: ciphertext shorter than its MAC')
    }
    const out = Buffer.alloc(ciphertext.byteLength - MACLEN)
    this.setNonce()
    try {
      sodium.crypto_aead_chacha20poly1305_ietf_decrypt(
        out,
        null,
        ciphertext,
        ad,
        this.nonce,
        this.key,
      )
    } catch {
      throw new HandshakeError('Noise handshake error: message failed authentication')
    }
    return out
  }
}

class SymmetricState {
  ck: Buffer
  h: Buffer
  readonly cipher = new CipherState()

  constructor() {
    // The name is 33 bytes ≤ HASHLEN, so h is the name zero-padded to 64 bytes.
    this.h = Buffer.alloc(HASHLEN)
    this.h.set(PROTOCOL_NAME)
    this.ck = Buffer.from(this.h)
  }

  mixHash(data: Uint8Array): void {
    this.h = hash([this.h, data])
  }

  mixKey(ikm: Uint8Array): void {
    const [ck, key] = hkdf(this.ck, ikm)
    this.ck = ck
    this.cipher.initializeKey(key)
  }

  encryptAndHash(plaintext: Uint8Array): Buffer {
    const out = this.cipher.encryptWithAd(this.h, plaintext)
    this.mixHash(out)
    return out
  }

  decryptAndHash(ciphertext: Uint8Array): Buffer {
    const out = this.cipher.decryptWithAd(this.h, ciphertext)
    this.mixHash(ciphertext)
    return out
  }

  split(): [Buffer, Buffer] {
    const [k1, k2] = hkdf(this.ck, EMPTY)
    return [k1.subarray(0, KEYLEN), k2.subarray(0, KEYLEN)]
  }
}

export interface NoiseResult {
  /** Key for what this side sends (XSalsa20 and capabilities). */
  tx: Buffer
  /** Key for what this side receives. */
  rx: Buffer
  /** The final 64-byte handshake hash `h`. */
  handshakeHash: Buffer
  remotePublicKey: Buffer
}

export interface NoiseOptions {
  /** Test hook: the ephemeral pair to use instead of a random one (vectors fix it). */
  ephemeralKeyPair?: KeyPair
}

/**
 * The XX pattern: `-> e` · `<- e, ee, s, es` · `-> s, se`. Each side alternately calls
 * `send(payload)` and `recv(message)`; after the third message `result` is set.
 */
export class NoiseXX {
  readonly initiator: boolean
  readonly staticKeyPair: KeyPair
  result: NoiseResult | null = null
  /** The remote static key, known after message 2 (initiator) or 3 (responder). */
  remoteStaticKey: Buffer | null = null
  private readonly state = new SymmetricState()
  private readonly ephemeralOverride: KeyPair | null
  private ephemeral: KeyPair | null = null
  private remoteEphemeral: Buffer | null = null
  private step = 0

  constructor(initiator: boolean, staticKeyPair: KeyPair, opts: NoiseOptions = {}) {
    this.initiator = initiator
    this.staticKeyPair = staticKeyPair
    this.ephemeralOverride = opts.ephemeralKeyPair ?? null
    this.state.mixHash(EMPTY) // the empty prologue
  }

  /** Whether it is this side's turn to send. */
  get canSend(): boolean {
    return this.result === null && (this.step % 2 === 0) === this.initiator
  }

  send(payload: Uint8Array): Buffer {
    if (!this.canSend) throw new HandshakeError('Noise handshake error: not our turn to send')
    const s = this.state
    const parts: Buffer[] = []
    if (this.step === 0) {
      parts.push(this.writeEphemeral())
    } else if (this.step === 1) {
      parts.push(this.writeEphemeral())
      s.mixKey(dh(this.ephemeral!.secretKey, this.remoteEphemeral!)) // ee
      parts.push(s.encryptAndHash(this.staticKeyPair.publicKey)) // s
      s.mixKey(dh(this.staticKeyPair.secretKey, this.remoteEphemeral!)) // es (responder)
    } else {
      parts.push(s.encryptAndHash(this.staticKeyPair.publicKey)) // s
      s.mixKey(dh(this.staticKeyPair.secretKey, this.remoteEphemeral!)) // se (initiator)
    }
    parts.push(s.encryptAndHash(payload))
    this.step++
    if (this.step === 3) this.finish()
    return Buffer.concat(parts)
  }

  /** Reads one handshake message; returns its decrypted payload. Throws HandshakeError. */
  recv(message: Buffer): Buffer {
    if (this.result !== null || this.canSend) {
      throw new HandshakeError('Noise handshake error: unexpected handshake message')
    }
    const s = this.state
    let offset = 0
    const take = (n: number): Buffer => {
      if (message.byteLength - offset < n) {
        throw new HandshakeError('Noise handshake error: message too short')
      }
      const part = message.subarray(offset, offset + n)
      offset += n
      return part
    }
    if (this.step === 0 || this.step === 1) {
      this.remoteEphemeral = Buffer.from(take(DHLEN))
      s.mixHash(this.remoteEphemeral)
    }
    if (this.step === 1) {
      s.mixKey(dh(this.ephemeral!.secretKey, this.remoteEphemeral!)) // ee
      this.remoteStaticKey = s.decryptAndHash(take(DHLEN + MACLEN)) // s
      s.mixKey(dh(this.ephemeral!.secretKey, this.remoteStaticKey)) // es (initiator side)
    } else if (this.step === 2) {
      this.remoteStaticKey = s.decryptAndHash(take(DHLEN + MACLEN)) // s
      s.mixKey(dh(this.ephemeral!.secretKey, this.remoteStaticKey)) // se (responder side)
    }
    const payload = s.decryptAndHash(message.subarray(offset))
    this.step++
    if (this.step === 3) this.finish()
    return payload
  }

  private writeEphemeral(): Buffer {
    this.ephemeral = this.ephemeralOverride ?? keyPair()
    this.state.mixHash(this.ephemeral.publicKey)
    return this.ephemeral.publicKey
  }

  private finish(): void {
    const [k1, k2] = this.state.split()
    this.result = {
      tx: this.initiator ? k1 : k2,
      rx: this.initiator ? k2 : k1,
      handshakeHash: Buffer.from(this.state.h),
      remotePublicKey: this.remoteStaticKey!,
    }
  }
}
