// protocol-throughput: Data messages of 1 KiB and 64 KiB through an encrypted in-process stream
// pair (Noise handshake, then the stream cipher), flow-controlled by a fixed in-flight window.
import { KiB, MiB, blockPool } from '../blocks.js'
import { measure } from '../measure.js'
import { higher, lower } from '../metric.js'
import { scaled } from '../sizes.js'
import { defineWorkload } from '../workload.js'

/** One open channel between two connected, encrypted protocol streams. */
export interface DataChannel {
  /** Sends a Data message `{index, value}` from the initiator side. */
  send(index: number, value: Buffer): void
  close(): Promise<void>
}

export interface ProtocolThroughputAdapter {
  /**
   * Connects two encrypted protocol streams in-process, opens a channel for one key on both,
   * and resolves once the channel is open on both sides. `onData` runs on the receiving side
   * for every Data message with its value's length.
   */
  connect(onData: (bytes: number) => void): Promise<DataChannel>
}

const CASES: Record<string, { messageSize: number; totalBytes: number }> = {
  '1kib': { messageSize: KiB, totalBytes: 64 * MiB },
  '64kib': { messageSize: 64 * KiB, totalBytes: 512 * MiB },
}

/** Bytes in flight (sent, not yet received) the sender allows itself. */
const WINDOW = 4 * MiB

export const protocolThroughput = defineWorkload<ProtocolThroughputAdapter>({
  name: 'protocol-throughput',
  description: 'encrypted Data messages of 1 KiB and 64 KiB over an in-process stream pair',
  cases: Object.keys(CASES),
  adapters: {
    originals: async () => (await import('../adapters/originals/protocol.js')).protocolAdapter,
    ours: async () => (await import('../adapters/ours/protocol.js')).protocolAdapter,
  },
  async run(adapter, { caseName }) {
    const { messageSize, totalBytes } = CASES[caseName]
    const messages = scaled(totalBytes / messageSize, 100)
    const pool = blockPool(16, messageSize)
    let received = 0
    let receivedBytes = 0
    let wake: (() => void) | null = null
    const channel = await adapter.connect((bytes) => {
      received++
      receivedBytes += bytes
      if (wake) {
        const resume = wake
        wake = null
        resume()
      }
    })
    const windowMessages = Math.max(1, Math.floor(WINDOW / messageSize))
    const { seconds, cpuSeconds } = await measure(async () => {
      let sent = 0
      while (received < messages) {
        while (sent < messages && sent - received < windowMessages) {
          channel.send(sent, pool[sent % pool.length])
          sent++
        }
        await new Promise<void>((resolve) => {
          wake = resolve
        })
      }
    })
    await channel.close()
    if (receivedBytes !== messages * messageSize) {
      throw new Error(`received ${receivedBytes} bytes, expected ${messages * messageSize}`)
    }
    return [
      higher('throughput', receivedBytes / 1e6 / seconds, 'MB/s'),
      higher('messages', messages / seconds, 'msg/s'),
      lower('cpu', cpuSeconds, 'cpu-s'),
    ]
  },
})
