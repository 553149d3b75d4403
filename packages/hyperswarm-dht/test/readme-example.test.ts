// The README's example, verbatim in substance, so the documented flow keeps working.
import { expect, it } from 'vitest'
import { DHT, type PeerAddress, createBootstrapNode } from '../src/index.js'

it('runs the README example', async () => {
  const boot = await createBootstrapNode({ port: 0, host: '127.0.0.1' })
  const bootstrap = [`127.0.0.1:${boot.address().port}`]

  const a = new DHT({ bootstrap, host: '127.0.0.1' })
  const b = new DHT({ bootstrap, host: '127.0.0.1' })
  await Promise.all([a.ready(), b.ready()])

  const topic = Buffer.alloc(32, 1)
  await a.announce(topic, { port: 40000 }).finished()
  const seen: PeerAddress[] = []
  for await (const { peers } of b.lookup(topic)) seen.push(...peers)
  expect(seen).toContainEqual({ host: '127.0.0.1', port: 40000 })

  const key = await a.immutable.put(Buffer.from('hello'))
  expect((await b.immutable.get(key))?.value.toString()).toBe('hello')

  await Promise.all([a.destroy(), b.destroy(), boot.destroy()])
})
