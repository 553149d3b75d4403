// What the drive and share-clone adapters both do with one of our drives: whole-file reads,
// streamed writes and reads, and a metadata update, each checked for bytes.
import type { Hyperdrive } from '@hyperstack/hyperdrive'

/** Our read streams are streamx streams of Buffers; anything else is a bug worth failing on. */
export async function* bytesOf(stream: AsyncIterable<unknown>): AsyncGenerator<Buffer> {
  for await (const chunk of stream) {
    if (!Buffer.isBuffer(chunk)) throw new TypeError('a drive read stream emitted non-bytes')
    yield chunk
  }
}

export async function readFileBytes(drive: Hyperdrive, path: string): Promise<Buffer> {
  const data = await drive.readFile(path)
  if (!Buffer.isBuffer(data)) throw new TypeError(`readFile ${path} did not return bytes`)
  return data
}

/** Writes `chunks` through a write stream, waiting on drain, until it finishes. */
export async function writeChunks(
  drive: Hyperdrive,
  path: string,
  chunks: Iterable<Buffer>,
): Promise<void> {
  const stream = drive.createWriteStream(path)
  const finished = new Promise<void>((resolve, reject) => {
    stream.once('finish', () => resolve())
    stream.once('error', reject)
  })
  for (const chunk of chunks) {
    if (!stream.write(chunk)) await new Promise<void>((resolve) => stream.once('drain', resolve))
  }
  stream.end(null) // streamx types `end` with a required argument; null writes nothing
  await finished
}

export async function updateMetadata(drive: Hyperdrive): Promise<void> {
  if (!drive.metadata?.update) throw new Error('the drive metadata core cannot update')
  await drive.metadata.update()
}
