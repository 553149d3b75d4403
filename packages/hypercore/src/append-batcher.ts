// Appends in batches as hypercore@9's atomic-batcher makes them: the first call runs alone, and
// the calls made while a batch is being written are merged into the next one (one signature for
// all of them), so a writer's signatures file matches the original's.

/** One `append` call waiting for its batch. */
export interface PendingAppend {
  blocks: Buffer[]
  durable: boolean
  resolve: (seq: number) => void
  reject: (err: Error) => void
}

/** Writes one batch; resolves the index of its first block. */
export type WriteBatch = (batch: PendingAppend[]) => Promise<number>

export class AppendBatcher {
  private queue: PendingAppend[] = []
  private running: Promise<void> | null = null

  /** `ready` opens the core before the first batch; a failure rejects every waiting append. */
  constructor(
    private readonly ready: () => Promise<void>,
    private readonly write: WriteBatch,
  ) {}

  /** Queues `blocks`; resolves with the index of the first once its batch is written. */
  push(blocks: Buffer[], durable: boolean): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ blocks, durable, resolve, reject })
      if (!this.running) this.running = this.drain(this.queue.splice(0))
    })
  }

  /** Resolves once no batch is being written (appends queued meanwhile included). */
  async idle(): Promise<void> {
    while (this.running) await this.running
  }

  private async drain(first: PendingAppend[]): Promise<void> {
    try {
      await this.ready()
    } catch (err) {
      for (const p of first.concat(this.queue.splice(0))) p.reject(err as Error)
      this.running = null
      return
    }
    let next = first
    while (next.length) {
      const batch = next
      try {
        let seq = await this.write(batch)
        for (const p of batch) {
          p.resolve(seq)
          seq += p.blocks.length
        }
      } catch (err) {
        for (const p of batch) p.reject(err as Error)
      }
      next = this.queue.splice(0)
    }
    this.running = null
  }
}
