import { describe, expect, it } from 'vitest'
import { namespacePrefix } from '../src/netns.js'

describe('namespacePrefix', () => {
  it('unshares the network, brings loopback up, then execs the command in the same process', () => {
    const { command, prefix } = namespacePrefix()
    expect(command).toBe('unshare')
    expect(prefix.slice(0, 2)).toEqual(['--net', '--'])
    // sh -c '<script>' sh <argv...>: the script must exec "$@" (keeping pid and IPC fd).
    expect(prefix.slice(2, 4)).toEqual(['sh', '-c'])
    expect(prefix[4]).toMatch(/ip link set lo up && exec "\$@"$/)
    expect(prefix[5]).toBe('sh')
  })
})
