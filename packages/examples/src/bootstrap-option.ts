// The --bootstrap option: host:port pairs. There is no public default, by design: without the
// option the programs talk to nobody off this machine.
import { EXIT, UserError } from './user-error.js'

export interface HostPort {
  host: string
  port: number
}

export function parseBootstrapList(value: string | undefined): HostPort[] {
  if (!value) return []
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const colon = part.lastIndexOf(':')
      const host = colon > 0 ? part.slice(0, colon) : ''
      const port = Number(part.slice(colon + 1))
      if (!host || !Number.isInteger(port) || port <= 0 || port > 65535) {
        throw new UserError(
          'ERR_BAD_BOOTSTRAP',
          `expected --bootstrap host:port[,host:port...], got ${JSON.stringify(part)}`,
          EXIT.usage,
        )
      }
      return { host, port }
    })
}
