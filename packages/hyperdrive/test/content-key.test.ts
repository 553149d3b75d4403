// The content core key is derived from corestore name "<hex metadata key>-content" and recorded
// in the trie header, exactly as hyperdrive@10 does (keys of hyperdrive-basic.json).
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Hyperdrive } from '../src/index.js'
import { tempDir } from './helpers/tmp.js'
import { type BasicVectors, loadVectors } from './helpers/vectors.js'

const vectors = loadVectors<BasicVectors>('hyperdrive-basic.json')

describe('content core key', () => {
  it('derives A and B (namespace "b") with their content cores as the original', async () => {
    const dir = await tempDir()
    try {
      await writeFile(join(dir.path, 'master_key'), Buffer.alloc(32, 0x42))
      const a = new Hyperdrive(dir.path)
      await a.ready()
      const b = new Hyperdrive(a.corestore, null, { namespace: 'b' })
      await b.ready()
      expect(a.key!.toString('hex')).toBe(vectors.keys.A.metadata.publicKey)
      expect(a.discoveryKey!.toString('hex')).toBe(vectors.keys.A.metadata.discoveryKey)
      expect((await a.getContent())!.key!.toString('hex')).toBe(vectors.keys.A.content.publicKey)
      expect(b.key!.toString('hex')).toBe(vectors.keys.B.metadata.publicKey)
      expect((await b.getContent())!.key!.toString('hex')).toBe(vectors.keys.B.content.publicKey)
      // Block 0 is the header of vector block 0, byte for byte.
      const header = (await a.metadata!.get(0)) as Buffer
      expect(header.toString('hex')).toBe(vectors.metadataBlocks[0].hex)
      await b.close()
      await a.close()
    } finally {
      await dir.remove()
    }
  })
})
