// A raw UDP client for tests: sends hand-built datagrams and waits for replies by rid.
import dgram from 'node:dgram'
import { type Message, decodeMessage } from '../../src/index.js'

export class RawClient {
  readonly socket = dgram.createSocket('udp4')
  private readonly waiting = new Map<number, (m: Message) => void>()
  readonly received: Message[] = []

  async open(): Promise<void> {
    this.socket.on('message', (buf) => {
      let m: Message
      try {
        m = decodeMessage(buf)
      } catch {
        return
      }
      this.received.push(m)
      const w = this.waiting.get(m.rid)
      if (w) {
        this.waiting.delete(m.rid)
        w(m)
      }
    })
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve))
  }

  get port(): number {
    return this.socket.address().port
  }

  send(buf: Uint8Array, port: number): void {
    this.socket.send(buf, port, '127.0.0.1')
  }

  /** Sends and resolves with the reply of the same rid, or null after `ms`. */
  request(buf: Uint8Array, rid: number, port: number, ms = 500): Promise<Message | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(rid)
        resolve(null)
      }, ms)
      this.waiting.set(rid, (m) => {
        clearTimeout(timer)
        resolve(m)
      })
      this.send(buf, port)
    })
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()))
  }
}
