// hypercore-protocol@8 behind the protocol-throughput adapter interface.
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { type OriginalChannel, Protocol } from '../../originals/protocol.js'
import type { ProtocolThroughputAdapter } from '../../workloads/protocol-throughput.js'

export const protocolAdapter: ProtocolThroughputAdapter = {
  async connect(onData) {
    const key = randomBytes(32)
    const initiator = new Protocol(true)
    const responder = new Protocol(false)
    initiator.pipe(responder).pipe(initiator)
    let channel: OriginalChannel | undefined
    const bothOpen = Promise.all([
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
    await bothOpen
    const open = channel!
    return {
      send: (index, value) => open.data({ index, value }),
      async close() {
        const closed = once(initiator, 'close')
        initiator.destroy()
        responder.destroy()
        await closed
      },
    }
  },
}
