// XSalsa20 keystreams for the transport: one continuous stream per direction, across frames.
import { sodium } from './commonjs.js'
import { hsalsa20 } from './hsalsa20.js'

/** The 24-byte XSalsa20 nonce each side draws and sends in its handshake payload. */
export const NONCE_BYTES = 24

/**
 * One direction of the transport: XORs successive bytes with successive XSalsa20 keystream
 * bytes (the same stream as crypto_stream_xor). The HSalsa20 subkey is derived once here, so
 * each chunk is one Salsa20 call instead of two XSalsa20 subkey derivations plus Salsa20.
 */
export class StreamCipher {
  private readonly state: Buffer

  constructor(nonce: Uint8Array, key: Uint8Array) {
    this.state = Buffer.alloc(sodium.crypto_stream_salsa20_xor_STATEBYTES)
    const subkey = hsalsa20(key, nonce.subarray(0, 16))
    sodium.crypto_stream_salsa20_xor_init(this.state, nonce.subarray(16, 24), subkey)
    subkey.fill(0)
  }

  /** XORs `input` into `output` (may be the same buffer: in place). */
  update(output: Uint8Array, input: Uint8Array): void {
    if (input.byteLength !== 0) sodium.crypto_stream_salsa20_xor_update(this.state, output, input)
  }

  destroy(): void {
    sodium.crypto_stream_salsa20_xor_final(this.state)
  }
}

/** A fresh random payload nonce. */
export function randomNonce(): Buffer {
  const nonce = Buffer.alloc(NONCE_BYTES)
  sodium.randombytes_buf(nonce)
  return nonce
}
