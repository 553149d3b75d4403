// Running a worker inside a fresh network namespace: `unshare -n` (Linux, root or user
// namespaces) gives the process a network of its own with only a loopback interface, which
// `ip link set lo up` brings up before node starts. Programs that bind every interface and
// multicast (hyperswarm@2) then see nothing but 127.0.0.1 and never reach the host's network.
import { spawnSync } from 'node:child_process'

const UNSHARE = 'unshare'
const UP_THEN_EXEC = 'ip link set lo up && exec "$@"'

/**
 * The command and leading arguments that run `argv` inside a new network namespace with
 * loopback up: `[command, ...prefix, ...argv]` is the full command line.
 */
export function namespacePrefix(): { command: string; prefix: string[] } {
  return { command: UNSHARE, prefix: ['--net', '--', 'sh', '-c', UP_THEN_EXEC, 'sh'] }
}

let probed: string | null | undefined

/**
 * Checks once whether this machine can create a network namespace with loopback up: `null`
 * when it can, otherwise the reason it cannot (printed by the CLI beside the results).
 */
export function namespaceUnavailable(): string | null {
  if (probed !== undefined) return probed
  const { command, prefix } = namespacePrefix()
  const result = spawnSync(command, [...prefix, 'true'], { encoding: 'utf8', timeout: 10_000 })
  if (result.error) probed = `cannot start ${command}: ${result.error.message}`
  else if (result.status !== 0) {
    const why = (result.stderr ?? '').trim().split('\n')[0] || `exit ${result.status}`
    probed = `cannot create a network namespace with loopback up (${why})`
  } else probed = null
  return probed
}
