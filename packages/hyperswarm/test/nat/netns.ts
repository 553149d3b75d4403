// Builds the NAT test network out of Linux network namespaces (needs root, `ip`, `iptables`, `sysctl`):
//
//   host A 192.168.1.2 -- lan [router A] wan 10.1.0.2 --\                      /-- 10.2.0.2 wan [router B] lan -- 192.168.2.2 host B
//                                                       10.1.0.1 [ public ] 10.2.0.1
//                                                              DHT node 10.0.0.1
//
// Each router masquerades its LAN behind its WAN address and drops unsolicited inbound packets
// (only replies to flows opened from inside pass), like a home router.
import { execFileSync } from 'node:child_process'

export interface NatNetwork {
  prefix: string
  namespaces: { pub: string; routerA: string; routerB: string; hostA: string; hostB: string }
  bootstrapHost: string
  publicA: string
  publicB: string
  destroy(): void
}

function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' })
}

/** Why the NAT test cannot run here, or null when it can. */
export function natUnsupportedReason(): string | null {
  if (process.platform !== 'linux')
    return `network namespaces need Linux (this is ${process.platform})`
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    return 'creating network namespaces needs root'
  }
  for (const tool of ['ip', 'iptables', 'sysctl']) {
    try {
      sh('sh', ['-c', `command -v ${tool}`])
    } catch {
      return `the '${tool}' command is not installed`
    }
  }
  const probe = `hsprobe${process.pid}`
  try {
    sh('ip', ['netns', 'add', probe])
  } catch (err) {
    return `cannot create a network namespace: ${(err as Error).message.split('\n')[0]}`
  }
  try {
    sh('ip', ['netns', 'exec', probe, 'iptables', '-t', 'nat', '-L', '-n'])
  } catch (err) {
    return `iptables does not work inside a namespace: ${(err as Error).message.split('\n')[0]}`
  } finally {
    sh('ip', ['netns', 'del', probe])
  }
  return null
}

export function createNatNetwork(): NatNetwork {
  const prefix = `hs${process.pid % 100000}`
  const ns = {
    pub: `${prefix}-pub`,
    routerA: `${prefix}-ra`,
    routerB: `${prefix}-rb`,
    hostA: `${prefix}-ha`,
    hostB: `${prefix}-hb`,
  }
  const created: string[] = []
  const destroy = () => {
    // Deleting a namespace deletes the veth ends inside it, and with them their peers.
    for (const name of created.splice(0)) {
      try {
        sh('ip', ['netns', 'del', name])
      } catch {}
    }
  }
  const ip = (name: string, ...args: string[]) => sh('ip', ['-n', name, ...args])
  const exec = (name: string, ...args: string[]) => sh('ip', ['netns', 'exec', name, ...args])
  try {
    for (const name of Object.values(ns)) {
      sh('ip', ['netns', 'add', name])
      created.push(name)
      ip(name, 'link', 'set', 'lo', 'up')
    }
    ip(ns.pub, 'addr', 'add', '10.0.0.1/32', 'dev', 'lo')
    exec(ns.pub, 'sysctl', '-qw', 'net.ipv4.ip_forward=1')
    const sides = [
      { n: 1, router: ns.routerA, host: ns.hostA },
      { n: 2, router: ns.routerB, host: ns.hostB },
    ]
    for (const { n, router, host } of sides) {
      // Links are created straight inside their namespaces, so names never clash.
      const pubEnd = `side${n}`
      sh('ip', [
        'link',
        'add',
        pubEnd,
        'netns',
        ns.pub,
        'type',
        'veth',
        'peer',
        'name',
        'wan',
        'netns',
        router,
      ])
      sh('ip', [
        'link',
        'add',
        'lan',
        'netns',
        router,
        'type',
        'veth',
        'peer',
        'name',
        'eth0',
        'netns',
        host,
      ])
      ip(ns.pub, 'addr', 'add', `10.${n}.0.1/24`, 'dev', pubEnd)
      ip(ns.pub, 'link', 'set', pubEnd, 'up')
      ip(router, 'addr', 'add', `10.${n}.0.2/24`, 'dev', 'wan')
      ip(router, 'link', 'set', 'wan', 'up')
      ip(router, 'addr', 'add', `192.168.${n}.1/24`, 'dev', 'lan')
      ip(router, 'link', 'set', 'lan', 'up')
      ip(router, 'route', 'add', 'default', 'via', `10.${n}.0.1`)
      exec(router, 'sysctl', '-qw', 'net.ipv4.ip_forward=1')
      const ipt = (...args: string[]) => exec(router, 'iptables', ...args)
      ipt('-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan', '-j', 'MASQUERADE')
      // Unsolicited inbound is dropped before conntrack confirms it, so it leaves no state
      // behind that could make the masquerade pick another port for a later outbound flow.
      ipt(
        '-A',
        'FORWARD',
        '-i',
        'wan',
        '-m',
        'conntrack',
        '--ctstate',
        'ESTABLISHED,RELATED',
        '-j',
        'ACCEPT',
      )
      ipt('-A', 'FORWARD', '-i', 'wan', '-j', 'DROP')
      ipt(
        '-A',
        'INPUT',
        '-i',
        'wan',
        '-m',
        'conntrack',
        '--ctstate',
        'ESTABLISHED,RELATED',
        '-j',
        'ACCEPT',
      )
      ipt('-A', 'INPUT', '-i', 'wan', '-j', 'DROP')
      ip(host, 'addr', 'add', `192.168.${n}.2/24`, 'dev', 'eth0')
      ip(host, 'link', 'set', 'eth0', 'up')
      ip(host, 'route', 'add', 'default', 'via', `192.168.${n}.1`)
    }
  } catch (err) {
    destroy()
    throw err
  }
  return {
    prefix,
    namespaces: ns,
    bootstrapHost: '10.0.0.1',
    publicA: '10.1.0.2',
    publicB: '10.2.0.2',
    destroy,
  }
}
