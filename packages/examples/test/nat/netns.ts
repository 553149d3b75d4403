// Two home networks and the internet between them, out of Linux network namespaces (needs root,
// `ip`, `iptables`, `sysctl`):
//
//   writer 192.168.231.2 -- [router A 10.231.0.2] --\                   /-- [router B 10.232.0.2] -- 192.168.232.2 reader
//                                         10.231.0.1 [ public 10.231.255.1 ] 10.232.0.1
//                                                       DHT node
//
// Each router masquerades its LAN behind its WAN address and drops every unsolicited inbound
// packet, like a home router: only replies to flows opened from inside get through. Names start
// with `hsx` and addresses are 10.231/10.232, apart from the hyperswarm package's NAT test.
import { execFileSync } from 'node:child_process'

export interface NatLab {
  namespaces: { pub: string; routerA: string; routerB: string; hostA: string; hostB: string }
  /** Where the DHT node listens, in the public namespace. */
  dhtHost: string
  hostA: string
  hostB: string
  /** The routers' WAN addresses: what the internet sees of each LAN. */
  publicA: string
  publicB: string
  destroy(): void
}

const TOOLS = ['ip', 'iptables', 'sysctl']

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' })
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? ''
}

/** Why the namespaces cannot be built here, or null when they can. */
export function natLabUnsupportedReason(): string | null {
  if (process.platform !== 'linux') return `network namespaces need Linux, not ${process.platform}`
  if (process.getuid?.() !== 0) return 'creating network namespaces needs root'
  for (const tool of TOOLS) {
    try {
      run('sh', ['-c', `command -v ${tool}`])
    } catch {
      return `the '${tool}' command is not installed`
    }
  }
  const probe = `hsxprobe${process.pid}`
  try {
    run('ip', ['netns', 'add', probe])
  } catch (err) {
    return `cannot create a network namespace: ${firstLine(err)}`
  }
  try {
    run('ip', ['netns', 'exec', probe, 'iptables', '-t', 'nat', '-L', '-n'])
  } catch (err) {
    return `iptables does not work inside a namespace: ${firstLine(err)}`
  } finally {
    run('ip', ['netns', 'del', probe])
  }
  return null
}

export function createNatLab(): NatLab {
  const prefix = `hsx${process.pid % 100000}`
  const namespaces = {
    pub: `${prefix}-pub`,
    routerA: `${prefix}-ra`,
    routerB: `${prefix}-rb`,
    hostA: `${prefix}-ha`,
    hostB: `${prefix}-hb`,
  }
  const created: string[] = []
  // Deleting a namespace deletes its veth ends (and their peers) and its iptables rules.
  const destroy = () => {
    for (const name of created.splice(0)) {
      try {
        run('ip', ['netns', 'del', name])
      } catch {}
    }
  }
  const ip = (ns: string, ...args: string[]) => run('ip', ['-n', ns, ...args])
  const inside = (ns: string, ...args: string[]) => run('ip', ['netns', 'exec', ns, ...args])
  const veth = (a: string, nsA: string, b: string, nsB: string) =>
    run('ip', ['link', 'add', a, 'netns', nsA, 'type', 'veth', 'peer', 'name', b, 'netns', nsB])

  try {
    for (const ns of Object.values(namespaces)) {
      try {
        run('ip', ['netns', 'del', ns]) // a leftover of a killed run with the same pid
      } catch {}
      run('ip', ['netns', 'add', ns])
      created.push(ns)
      ip(ns, 'link', 'set', 'lo', 'up')
    }
    ip(namespaces.pub, 'addr', 'add', '10.231.255.1/32', 'dev', 'lo')
    inside(namespaces.pub, 'sysctl', '-qw', 'net.ipv4.ip_forward=1')

    const sides = [
      { net: 231, router: namespaces.routerA, host: namespaces.hostA },
      { net: 232, router: namespaces.routerB, host: namespaces.hostB },
    ]
    for (const { net, router, host } of sides) {
      veth(`to${net}`, namespaces.pub, 'wan', router)
      veth('lan', router, 'eth0', host)
      ip(namespaces.pub, 'addr', 'add', `10.${net}.0.1/24`, 'dev', `to${net}`)
      ip(namespaces.pub, 'link', 'set', `to${net}`, 'up')

      ip(router, 'addr', 'add', `10.${net}.0.2/24`, 'dev', 'wan')
      ip(router, 'addr', 'add', `192.168.${net}.1/24`, 'dev', 'lan')
      ip(router, 'link', 'set', 'wan', 'up')
      ip(router, 'link', 'set', 'lan', 'up')
      ip(router, 'route', 'add', 'default', 'via', `10.${net}.0.1`)
      inside(router, 'sysctl', '-qw', 'net.ipv4.ip_forward=1')
      const iptables = (...args: string[]) => inside(router, 'iptables', ...args)
      iptables('-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan', '-j', 'MASQUERADE')
      // Unsolicited inbound is dropped in the filter table, before conntrack confirms the flow,
      // so it leaves no entry that would make the masquerade pick another port later.
      for (const chain of ['FORWARD', 'INPUT']) {
        const established = ['-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED']
        iptables('-A', chain, '-i', 'wan', ...established, '-j', 'ACCEPT')
        iptables('-A', chain, '-i', 'wan', '-j', 'DROP')
      }

      ip(host, 'addr', 'add', `192.168.${net}.2/24`, 'dev', 'eth0')
      ip(host, 'link', 'set', 'eth0', 'up')
      ip(host, 'route', 'add', 'default', 'via', `192.168.${net}.1`)
    }
  } catch (err) {
    destroy()
    throw err
  }
  return {
    namespaces,
    dhtHost: '10.231.255.1',
    hostA: '192.168.231.2',
    hostB: '192.168.232.2',
    publicA: '10.231.0.2',
    publicB: '10.232.0.2',
    destroy,
  }
}
