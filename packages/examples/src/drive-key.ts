// Parses what a user types as a drive key: 64 hex characters or a hyper:// URL.
import { EXIT, UserError } from './user-error.js'

export interface DriveAddress {
  key: Buffer
  /** The path part of a hyper:// URL, `/` when none. */
  path: string
}

const HEX_KEY = /^[0-9a-f]{64}$/i

export function parseDriveAddress(input: string): DriveAddress {
  const trimmed = input.trim()
  let keyText = trimmed
  let path = '/'
  if (trimmed.toLowerCase().startsWith('hyper://')) {
    const rest = trimmed.slice('hyper://'.length)
    const slash = rest.indexOf('/')
    keyText = slash === -1 ? rest : rest.slice(0, slash)
    path = slash === -1 ? '/' : rest.slice(slash) || '/'
  }
  if (!HEX_KEY.test(keyText)) {
    throw new UserError(
      'ERR_BAD_KEY',
      `expected a drive key of 64 hex characters or hyper://<key>, got ${JSON.stringify(input)}`,
      EXIT.usage,
    )
  }
  return { key: Buffer.from(keyText, 'hex'), path }
}

export function formatDriveUrl(key: Uint8Array): string {
  return `hyper://${Buffer.from(key).toString('hex')}`
}
