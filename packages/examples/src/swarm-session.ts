// Joins a drive's discovery key on the swarm and replicates the drive over every connection,
// counting the bytes that cross the wire so programs can report what moved.
import type { Hyperdrive } from '@hyperstack/hyperdrive'
import { Hyperswarm } from '@hyperstack/hyperswarm'
import type { HostPort } from './bootstrap-option.js'

export interface SwarmSessionOptions {
  bootstrap: HostPort[]
  /** Address to listen on; the demo and tests use 127.0.0.1. */
  host?: string
  announce: boolean
  lookup: boolean
}

export class SwarmSession {
  readonly swarm: Hyperswarm
  readonly startedAt = Date.now()
  bytesIn = 0
  bytesOut = 0
  peers = 0
  firstConnectionMs: number | null = null
  private readonly drive: Hyperdrive
  private firstPeer: Promise<void>
  private onFirstPeer: () => void = () => {}

  constructor(drive: Hyperdrive, opts: SwarmSessionOptions) {
    this.drive = drive
    this.swarm = new Hyperswarm({ bootstrap: opts.bootstrap, host: opts.host ?? '0.0.0.0' })
    this.firstPeer = new Promise((resolve) => {
      this.onFirstPeer = resolve
    })
    this.swarm.on(
      'connection',
      (
        socket: NodeJS.ReadWriteStream & { destroy(err?: Error): void },
        info: { client: boolean },
      ) => {
        this.peers++
        if (this.firstConnectionMs === null) this.firstConnectionMs = Date.now() - this.startedAt
        const stream = drive.replicate(info.client, { live: true })
        socket.on('data', (chunk: Buffer) => {
          this.bytesIn += chunk.length
        })
        stream.on('data', (chunk: Buffer) => {
          this.bytesOut += chunk.length
        })
        socket.on('error', () => stream.destroy())
        stream.on('error', () => socket.destroy())
        socket.pipe(stream)
        stream.pipe(socket)
        this.onFirstPeer()
      },
    )
    this.join = this.swarm.join(drive.discoveryKey as Buffer, {
      announce: opts.announce,
      lookup: opts.lookup,
    })
  }

  /** Resolves once the join's first announce/lookup round has been sent. */
  readonly join: Promise<void>

  /** Resolves at the first connection; rejects after `timeoutMs` without one. */
  waitForPeer(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs)
      this.firstPeer.then(() => {
        clearTimeout(timer)
        resolve(true)
      })
    })
  }

  get driveKey(): Buffer {
    return this.drive.key as Buffer
  }

  async close(): Promise<void> {
    await this.swarm.destroy()
  }
}
