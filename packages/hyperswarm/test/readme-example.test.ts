// The README's example, run as written (plus waiting for the message it prints).
import { randomBytes } from 'node:crypto'
import { createBootstrapNode } from '@hyperstack/hyperswarm-dht'
import { expect, it } from 'vitest'
import { Hyperswarm } from '../src/index.js'

it('README example: b finds a through a local bootstrap node and says hello', async () => {
  const node = await createBootstrapNode({ port: 0, host: '127.0.0.1' })
  const bootstrap = [`127.0.0.1:${node.address().port}`]

  const topic = randomBytes(32)
  const a = new Hyperswarm({ bootstrap, host: '127.0.0.1' })
  const b = new Hyperswarm({ bootstrap, host: '127.0.0.1' })

  const got = new Promise<{ text: string; client: boolean }>((resolve) => {
    a.on('connection', (socket, info) => {
      socket.on('data', (data: Buffer) => resolve({ text: data.toString(), client: info.client }))
    })
  })
  b.on('connection', (socket, info) => {
    expect(info.client).toBe(true)
    socket.write('hello')
  })

  await a.join(topic, { announce: true, lookup: false })
  await b.join(topic)
  await b.flush()
  expect(await got).toEqual({ text: 'hello', client: false })

  await Promise.all([a.destroy(), b.destroy()])
  await node.destroy()
})
