// @hyperstack/hypercore-protocol behind the protocol-throughput adapter interface.
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { type Channel, ProtocolStream } from '@hyperstack/hypercore-protocol'
import type { ProtocolThroughputAdapter } from '../../workloads/protocol-throughput.js'

export const protocolAdapter: ProtocolThroughputAdapter = {
  async connect(onData) {
    const key = randomBytes(32)
    const initiator = new ProtocolStream(true)
    const responder = new ProtocolStream(false)
    initiator.pipe(responder).pipe(initiator)
    let channel: Channel | undefined
    await Promise.all([
      new Promise<void>((resolve) => {
        responder.open(key, {
          onopen: resolve,
          ondata: (message) => onData(message.value ? message.value.length : 0),
        })
      }),
      new Promise<void>((resolve) => {
        channel = initiator.open(key, { onopen: resolve })
      }),
    ])
    const open = channel!
    return {
      send: (index, value) => {
        open.data({ index, value })
      },
      async close() {
        const closed = once(initiator, 'close')
        initiator.destroy()
        responder.destroy()
        await closed
      },
    }
  },
}
