// XSalsa20 keystreams for the transport: one continuous stream per direction, across frames.
import sodium from 'sodium-native'

/** The 24-byte XSalsa20 nonce each side draws and sends in its handshake payload. */
export const NONCE_BYTES = 24

/** One direction of the transport: XORs successive bytes with successive keystream bytes. */
export class StreamCipher {
  private readonly state: Buffer

  constructor(nonce: Uint8Array, key: Uint8Array) {
    this.state = Buffer.alloc(sodium.crypto_stream_xor_STATEBYTES)
    sodium.crypto_stream_xor_init(this.state, nonce, key)
  }

  /** XORs `input` into `output` (may be the same buffer: in place). */
  update(output: Uint8Array, input: Uint8Array): void {
    sodium.crypto_stream_xor_update(this.state, output, input)
  }

  destroy(): void {
    sodium.crypto_stream_xor_final(this.state)
  }
}

/** A fresh random payload nonce. */
export function randomNonce(): Buffer {
  const nonce = Buffer.alloc(NONCE_BYTES)
  sodium.randombytes_buf(nonce)
  return nonce
}
