// Round-trip tokens of dht-rpc@4: BLAKE2b-256(secret ‖ ASCII(host)); two secrets (current,
// previous) rotated every 5 minutes, so a token is accepted for 5 to 10 minutes.

import { sodium } from './commonjs.js'

export const TOKEN_ROTATE_MS = 5 * 60 * 1000

/** The token a node with `secret` issues to `host` (the port is not part of it). */
export function roundtripToken(secret: Uint8Array, host: string): Buffer {
  const out = Buffer.allocUnsafe(32)
  sodium.crypto_generichash_batch(out, [secret, Buffer.from(host)])
  return out
}

function randomSecret(): Buffer {
  const b = Buffer.allocUnsafe(32)
  sodium.randombytes_buf(b)
  return b
}

export class TokenSecrets {
  private current = randomSecret()
  private previous = randomSecret()

  /** The token issued now. */
  issue(host: string): Buffer {
    return roundtripToken(this.current, host)
  }

  /** Accepts tokens of the current and the previous secret. */
  verify(host: string, token: Uint8Array | null): boolean {
    if (!token || token.length !== 32) return false
    return (
      roundtripToken(this.current, host).equals(token) ||
      roundtripToken(this.previous, host).equals(token)
    )
  }

  rotate(): void {
    this.previous = this.current
    this.current = randomSecret()
  }
}
