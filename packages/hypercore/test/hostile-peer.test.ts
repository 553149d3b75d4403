// A hostile peer (a raw protocol stream) sends bad blocks, signatures, proofs or unrequested data:
// each is rejected with a typed error, its channel ends, and the reader's storage is unchanged.
import fs from 'node:fs'
import path from 'node:path'
import type { Channel, DataInput, Request } from '@hyperstack/hypercore-protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { Hypercore, encodeRle } from '../src/index.js'
import { MemoryTreeBits } from '../src/tree-index.js'
import { memoryStorage, rawPeer, tmpDir } from './helpers.js'

const closers: (() => unknown)[] = []
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c()
})

type Tamper = (req: Request, honest: DataInput, writer: Hypercore) => Promise<DataInput>

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of fs.readdirSync(dir))
    out[name] = fs.readFileSync(path.join(dir, name)).toString('hex')
  return out
}

async function attack(tamper: Tamper, opts: { unrequested?: boolean } = {}) {
  const writer = new Hypercore(memoryStorage())
  closers.push(() => writer.close())
  await writer.append(Array.from({ length: 16 }, (_, i) => Buffer.from(`honest block ${i}`)))
  const { dir, cleanup } = tmpDir()
  closers.push(cleanup)
  const reader = new Hypercore(dir, writer.key, { sparse: true })
  closers.push(() => reader.close())
  await reader.ready()
  const before = snapshot(dir)

  const { stream: evil, end } = rawPeer(reader)
  closers.push(end)
  const all = Buffer.alloc(2, 0xff)
  let channel: Channel | null = null
  const handlers = {
    onopen() {
      channel?.have({ start: 0, length: 16 })
      if (opts.unrequested) {
        writer.proof(3, 0, false, new MemoryTreeBits()).then(async (proof) => {
          if (!proof) return
          channel?.data({
            index: 3,
            value: await writer.getBuffer(3),
            nodes: proof.nodes,
            signature: proof.signature,
          })
        })
      }
    },
    onwant(want: { start: number; length: number }) {
      channel?.have({ start: want.start, length: want.length, bitfield: encodeRle(all) })
    },
    onrequest(req: Request) {
      writer.proof(req.index, req.nodes, req.hash, new MemoryTreeBits()).then(async (proof) => {
        if (!proof) return
        const honest: DataInput = {
          index: req.index,
          value: req.hash ? null : await writer.getBuffer(req.index),
          nodes: proof.nodes,
          signature: proof.signature,
        }
        channel?.data(await tamper(req, honest, writer))
      })
    },
  }
  channel = evil.open(writer.key as Buffer, handlers)

  const failure = new Promise<Error>((resolve) =>
    reader.once('peer-error', (err: Error) => resolve(err)),
  )
  const got = reader.get(5).then(
    () => null,
    (err: Error) => err,
  )
  const err = await Promise.race([
    failure,
    new Promise<Error>((_, reject) => setTimeout(() => reject(new Error('no peer-error')), 5000)),
  ])
  expect(reader.has(5)).toBe(false)
  expect(reader.has(3)).toBe(false)
  expect(reader.length).toBe(0)
  expect(reader.peers.length).toBe(0)
  await reader.close()
  expect(await got).toMatchObject({ code: 'ERR_CLOSED' })
  expect(snapshot(dir)).toEqual(before)
  return err
}

describe('hostile peers', () => {
  it('a block whose bytes do not match the signed tree', async () => {
    const err = await attack(async (_req, honest) => ({
      ...honest,
      value: Buffer.from('evil block'),
    }))
    expect((err as { code?: string }).code).toBe('ERR_INVALID_SIGNATURE')
  })

  it('a wrong signature', async () => {
    const err = await attack(async (_req, honest) => {
      const sig = Buffer.from(honest.signature as Uint8Array)
      sig[10] ^= 0xff
      return { ...honest, signature: sig }
    })
    expect((err as { code?: string }).code).toBe('ERR_INVALID_SIGNATURE')
  })

  it('a tampered proof node', async () => {
    const err = await attack(async (_req, honest) => {
      const nodes = (honest.nodes ?? []).map((n, i) =>
        i === 0 ? { ...n, hash: Buffer.alloc(32, 9) } : n,
      )
      return { ...honest, nodes }
    })
    expect((err as { code?: string }).code).toBe('ERR_INVALID_SIGNATURE')
  })

  it('a proof for another index', async () => {
    const err = await attack(async (req, _honest, writer) => {
      const other = req.index === 6 ? 7 : 6
      const proof = await writer.proof(other, 0, false, new MemoryTreeBits())
      return {
        index: req.index,
        value: await writer.getBuffer(other),
        nodes: proof?.nodes ?? [],
        signature: proof?.signature ?? null,
      }
    })
    expect((err as { code?: string }).code).toMatch(/ERR_INVALID_SIGNATURE|ERR_BAD_PROOF/)
  })

  it('data for a block never requested', async () => {
    const err = await attack(async () => ({ index: 0, value: null, nodes: [], signature: null }), {
      unrequested: true,
    })
    expect((err as { code?: string }).code).toBe('ERR_UNREQUESTED_DATA')
  })
})
