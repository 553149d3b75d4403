// Connects ours and the original in either role, optionally through a tampering middle.
import { ProtocolStream, type ProtocolStreamOptions } from '../../src/index.js'
import { OriginalProtocol, type OriginalStream } from './original.js'

export type Role = 'ours-initiator' | 'ours-responder'
export const ROLES: Role[] = ['ours-initiator', 'ours-responder']

export interface Connected {
  ours: ProtocolStream
  original: OriginalStream
}

/** Pipes a new ProtocolStream and a new hypercore-protocol@8 stream into each other. */
export function connect(
  role: Role,
  oursOpts: ProtocolStreamOptions = {},
  originalOpts: object = {},
): Connected {
  const ours = new ProtocolStream(role === 'ours-initiator', oursOpts)
  const original = new OriginalProtocol(role !== 'ours-initiator', originalOpts)
  ours.pipe(original).pipe(ours)
  return { ours, original }
}

/**
 * Wires `from` → `to` chunk by chunk through `tamper` (seq counts chunks in that direction),
 * and `to` → `from` untouched.
 */
export function wireThrough(
  from: { on(event: 'data', fn: (chunk: Buffer) => void): unknown },
  to: { write(chunk: Buffer): unknown; on(event: 'data', fn: (chunk: Buffer) => void): unknown },
  back: { write(chunk: Buffer): unknown },
  tamper: (chunk: Buffer, seq: number) => Buffer,
): void {
  let seq = 0
  from.on('data', (chunk: Buffer) => {
    to.write(tamper(Buffer.from(chunk), seq++))
  })
  to.on('data', (chunk: Buffer) => {
    back.write(chunk)
  })
}
