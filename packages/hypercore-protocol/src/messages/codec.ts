// The shape every message codec shares: encode into a caller's buffer, decode a bounded view.
import { InvalidArgumentError } from '../errors.js'

export interface MessageCodec<Input, Decoded> {
  /** Bytes `message` takes on the wire (protobuf body only, no frame header). */
  encodingLength(message: Input): number
  /** Writes the body at `offset`; returns the offset after it. */
  encode(message: Input, buf: Uint8Array, offset: number): number
  /** Decodes the body in `buf[start, end)`; bytes fields are views into `buf`. */
  decode(buf: Buffer, start: number, end: number): Decoded
}

/** The original writes a field whenever it is not null/undefined (numbers: not NaN). */
export function isSet<T>(value: T | null | undefined): value is T {
  return (
    value !== null && value !== undefined && (typeof value !== 'number' || !Number.isNaN(value))
  )
}

/** Rejects a missing required field on a message the application asked us to send. */
export function requireField<T>(value: T | null | undefined, message: string, field: string): T {
  if (!isSet(value)) throw new InvalidArgumentError(`${message}.${field} is required`)
  return value
}

/** Rejects numbers the varint encoder cannot represent exactly. */
export function requireUint(value: number, message: string, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError(
      `${message}.${field} must be an unsigned safe integer, got ${String(value)}`,
    )
  }
  return value
}
