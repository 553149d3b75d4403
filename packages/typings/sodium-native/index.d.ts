// sodium-native (v4): libsodium bindings. Outputs are written into caller-provided buffers.
// Declares the functions hyperstack uses; add more with their libsodium signatures as needed.
declare module 'sodium-native' {
  type Buf = Uint8Array

  export const crypto_generichash_BYTES: number
  export const crypto_generichash_BYTES_MIN: number
  export const crypto_generichash_BYTES_MAX: number
  export const crypto_generichash_KEYBYTES: number
  export const crypto_generichash_STATEBYTES: number
  export function crypto_generichash(output: Buf, input: Buf, key?: Buf): void
  export function crypto_generichash_batch(output: Buf, inputs: Buf[], key?: Buf): void
  export function crypto_generichash_init(state: Buf, key: Buf | null, outputLength: number): void
  export function crypto_generichash_update(state: Buf, input: Buf): void
  export function crypto_generichash_final(state: Buf, output: Buf): void

  export const crypto_sign_BYTES: number
  export const crypto_sign_SEEDBYTES: number
  export const crypto_sign_PUBLICKEYBYTES: number
  export const crypto_sign_SECRETKEYBYTES: number
  export function crypto_sign_keypair(publicKey: Buf, secretKey: Buf): void
  export function crypto_sign_seed_keypair(publicKey: Buf, secretKey: Buf, seed: Buf): void
  export function crypto_sign_detached(signature: Buf, message: Buf, secretKey: Buf): void
  export function crypto_sign_verify_detached(signature: Buf, message: Buf, publicKey: Buf): boolean
  export function crypto_sign_ed25519_sk_to_pk(publicKey: Buf, secretKey: Buf): void
  export function crypto_sign_ed25519_pk_to_curve25519(curvePublicKey: Buf, edPublicKey: Buf): void
  export function crypto_sign_ed25519_sk_to_curve25519(curveSecretKey: Buf, edSecretKey: Buf): void

  export const crypto_scalarmult_BYTES: number
  export const crypto_scalarmult_SCALARBYTES: number
  export function crypto_scalarmult(sharedSecret: Buf, secretKey: Buf, remotePublicKey: Buf): void
  export function crypto_scalarmult_base(publicKey: Buf, secretKey: Buf): void

  export const crypto_kx_PUBLICKEYBYTES: number
  export const crypto_kx_SECRETKEYBYTES: number
  export const crypto_kx_SEEDBYTES: number
  export function crypto_kx_keypair(publicKey: Buf, secretKey: Buf): void
  export function crypto_kx_seed_keypair(publicKey: Buf, secretKey: Buf, seed: Buf): void

  export const crypto_box_PUBLICKEYBYTES: number
  export const crypto_box_SECRETKEYBYTES: number
  export const crypto_box_SEEDBYTES: number
  export function crypto_box_keypair(publicKey: Buf, secretKey: Buf): void
  export function crypto_box_seed_keypair(publicKey: Buf, secretKey: Buf, seed: Buf): void

  export const crypto_aead_xchacha20poly1305_ietf_ABYTES: number
  export const crypto_aead_xchacha20poly1305_ietf_KEYBYTES: number
  export const crypto_aead_xchacha20poly1305_ietf_NPUBBYTES: number
  export function crypto_aead_xchacha20poly1305_ietf_encrypt(
    ciphertext: Buf,
    message: Buf,
    additionalData: Buf | null,
    nsec: null,
    nonce: Buf,
    key: Buf,
  ): number
  export function crypto_aead_xchacha20poly1305_ietf_decrypt(
    message: Buf,
    nsec: null,
    ciphertext: Buf,
    additionalData: Buf | null,
    nonce: Buf,
    key: Buf,
  ): number

  export const crypto_aead_chacha20poly1305_ietf_ABYTES: number
  export const crypto_aead_chacha20poly1305_ietf_KEYBYTES: number
  export const crypto_aead_chacha20poly1305_ietf_NPUBBYTES: number
  /** Returns the number of bytes written to `ciphertext` (message length + ABYTES). */
  export function crypto_aead_chacha20poly1305_ietf_encrypt(
    ciphertext: Buf,
    message: Buf,
    additionalData: Buf | null,
    nsec: null,
    nonce: Buf,
    key: Buf,
  ): number
  /** Returns the number of bytes written to `message`; throws when the tag does not verify. */
  export function crypto_aead_chacha20poly1305_ietf_decrypt(
    message: Buf,
    nsec: null,
    ciphertext: Buf,
    additionalData: Buf | null,
    nonce: Buf,
    key: Buf,
  ): number

  export const crypto_stream_NONCEBYTES: number
  export const crypto_stream_KEYBYTES: number
  export const crypto_stream_xor_STATEBYTES: number
  export function crypto_stream_xor(ciphertext: Buf, message: Buf, nonce: Buf, key: Buf): void
  /** Incremental XSalsa20: keeps the keystream position across calls in `state`. */
  export function crypto_stream_xor_init(state: Buf, nonce: Buf, key: Buf): void
  export function crypto_stream_xor_update(state: Buf, ciphertext: Buf, message: Buf): void
  export function crypto_stream_xor_final(state: Buf): void

  export const crypto_stream_salsa20_KEYBYTES: number
  export const crypto_stream_salsa20_NONCEBYTES: number
  export const crypto_stream_salsa20_xor_STATEBYTES: number
  export function crypto_stream_salsa20_xor(
    ciphertext: Buf,
    message: Buf,
    nonce: Buf,
    key: Buf,
  ): void
  /** Incremental Salsa20 (8-byte nonce): keeps the keystream position across calls in `state`. */
  export function crypto_stream_salsa20_xor_init(state: Buf, nonce: Buf, key: Buf): void
  export function crypto_stream_salsa20_xor_update(state: Buf, ciphertext: Buf, message: Buf): void
  export function crypto_stream_salsa20_xor_final(state: Buf): void

  export const crypto_shorthash_BYTES: number
  export const crypto_shorthash_KEYBYTES: number
  /** SipHash-2-4. */
  export function crypto_shorthash(output: Buf, input: Buf, key: Buf): void

  export const crypto_hash_sha256_BYTES: number
  export function crypto_hash_sha256(output: Buf, input: Buf): void
  export const crypto_hash_sha512_BYTES: number
  export function crypto_hash_sha512(output: Buf, input: Buf): void

  export const crypto_secretbox_KEYBYTES: number
  export const crypto_secretbox_NONCEBYTES: number
  export const crypto_secretbox_MACBYTES: number
  export function crypto_secretbox_easy(ciphertext: Buf, message: Buf, nonce: Buf, key: Buf): void
  export function crypto_secretbox_open_easy(
    message: Buf,
    ciphertext: Buf,
    nonce: Buf,
    key: Buf,
  ): boolean

  export function randombytes_buf(output: Buf): void
  export function randombytes_uniform(upperBound: number): number
  export function sodium_memzero(buffer: Buf): void
  export function sodium_memcmp(a: Buf, b: Buf): boolean
  export function sodium_malloc(size: number): Buffer
}
