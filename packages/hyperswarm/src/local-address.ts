// The LAN address announced with announceLocalAddress, as @hyperswarm/network@2 picks it.
import os from 'node:os'

/** The first non-internal IPv4 address of this host, or null. */
export function localIPv4(): string | null {
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const addr of addrs ?? []) {
      if (!addr.internal && addr.family === 'IPv4') return addr.address
    }
  }
  return null
}
